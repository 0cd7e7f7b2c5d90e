//! Writing files so that a reader never sees half of one, keeping a backup
//! (under `.workbook/backups/`) before a learner's file is replaced,
//! walking directories, and the clock.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename: an interrupted write never leaves half a file. A read-only
/// file is respected: an error, not a silent replacement. The new file keeps
/// the old one's permissions (a temporary file starts as 0600, which would
/// quietly make a learner's file private); a new file gets 0644, as
/// `std::fs::write` gives under the usual umask.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let permissions = match std::fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            ));
        }
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".workbook-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    if let Some(permissions) = permissions {
        // On the open file, so the umask does not narrow them.
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    // Elsewhere a temporary file is already an ordinary, writable file.
    None
}

/// Where the backups of the learner's files live:
/// `.workbook/backups/` under the repository `root`, out of the exercises
/// folder (the renumbering's copies are there too, in their own folders).
pub fn backups_dir(root: &Path) -> PathBuf {
    root.join(".workbook").join("backups")
}

/// The folder holding the backups of `file` (below `root`): the file's own
/// folder, relative to `root`, under [`backups_dir`], so that
/// `exercises/01_x.rs` is kept as
/// `.workbook/backups/exercises/01_x.rs.backup-UNIXTIME[-N]`.
fn backup_folder(root: &Path, file: &Path) -> PathBuf {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut folder = backups_dir(root);
    if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        for part in parent.components() {
            if let std::path::Component::Normal(part) = part {
                folder.push(part);
            }
        }
    }
    folder
}

/// Copies the current content of `file` (below `root`, if it exists) to a
/// new `NAME.backup-UNIXTIME[-N]` in its [`backup_folder`] and returns that
/// path; `None` when there was no file to keep. Never overwrites an earlier
/// backup.
pub fn back_up(root: &Path, file: &Path) -> std::io::Result<Option<PathBuf>> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = backup_folder(root, file);
    std::fs::create_dir_all(&folder)?;
    let stamp = now_unix();
    // After the last backup of this second: a number freed by pruning must
    // not be taken again, or the newest would sort before older ones.
    let taken = backups_of(root, file)
        .iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            let rest = name.rsplit_once(".backup-")?.1;
            let (at, n) = rest.split_once('-').unwrap_or((rest, "1"));
            (at.parse::<u64>().ok()? == stamp).then(|| n.parse::<u64>().ok())?
        })
        .max()
        .unwrap_or(0);
    for n in taken + 1.. {
        let candidate = folder.join(if n == 1 {
            format!("{name}.backup-{stamp}")
        } else {
            format!("{name}.backup-{stamp}-{n}")
        });
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                f.write_all(&bytes)?;
                f.sync_all()?;
                return Ok(Some(candidate));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("1.. never ends")
}

/// The backups of `file` (below `root`) made by [`back_up`], oldest first.
pub fn backups_of(root: &Path, file: &Path) -> Vec<PathBuf> {
    backups_in(&backup_folder(root, file), file)
}

/// The files `NAME.backup-UNIXTIME[-N]` in `dir` for `file`'s name, oldest
/// first.
fn backups_in(dir: &Path, file: &Path) -> Vec<PathBuf> {
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!("{name}.backup-");
    let mut found: Vec<(u64, u64, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let entry_name = entry.file_name().to_string_lossy().into_owned();
            let rest = entry_name.strip_prefix(&prefix)?;
            let (stamp, n) = rest.split_once('-').unwrap_or((rest, "1"));
            Some((stamp.parse().ok()?, n.parse().ok()?, entry.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, path)| path).collect()
}

/// Moves the backups that earlier versions of the workbook left beside the
/// files in `dir` (below `root`: `NAME.backup-UNIXTIME[-N]`) into their
/// [`backup_folder`], once: afterwards none is left to move. A name already
/// taken there by the same content drops the one beside; by a different
/// content, both stay (nothing is overwritten). Returns how many moved.
pub fn move_backups_out(root: &Path, dir: &Path) -> std::io::Result<usize> {
    let beside: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.rsplit_once(".backup-"))
                    .is_some_and(|(_, stamp)| {
                        let (at, n) = stamp.split_once('-').unwrap_or((stamp, "1"));
                        at.parse::<u64>().is_ok() && n.parse::<u64>().is_ok()
                    })
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut moved = 0;
    for from in beside {
        let folder = backup_folder(root, &from);
        std::fs::create_dir_all(&folder)?;
        let to = folder.join(from.file_name().expect("listed by name"));
        if to.exists() {
            if std::fs::read(&to)? == std::fs::read(&from)? {
                std::fs::remove_file(&from)?;
            }
            continue;
        }
        std::fs::rename(&from, &to)?;
        moved += 1;
    }
    Ok(moved)
}

/// Reads the plain file `rel` below `root` without following a symbolic
/// link on the way (below `root`): the server reads only what is really in
/// the book, the learner's files and their outputs, never what a link
/// there points to. A link, a directory or a path that leaves `root` is an
/// error of kind `InvalidInput`.
pub fn read_beneath(root: &Path, rel: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let path = beneath(root, rel)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits());
    }
    let mut file = options.open(&path)?;
    if !file.metadata()?.is_file() {
        return Err(not_plain("not a plain file"));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What `rel` below `root` is, without following a symbolic link (one is
/// an error, as in [`read_beneath`]).
pub fn metadata_beneath(root: &Path, rel: &Path) -> std::io::Result<std::fs::Metadata> {
    std::fs::symlink_metadata(beneath(root, rel)?)
}

/// `root/rel`, checked component by component: no `..`, no absolute part,
/// no symbolic link (a missing component is `NotFound`).
fn beneath(root: &Path, rel: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let mut path = root.to_path_buf();
    for component in rel.components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => continue,
            _ => return Err(not_plain("a path that leaves its directory")),
        }
        if std::fs::symlink_metadata(&path)?.file_type().is_symlink() {
            return Err(not_plain("a symbolic link"));
        }
    }
    Ok(path)
}

fn not_plain(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_string())
}

/// Every file under `dir` whose name ends with `.{ext}`, sorted; build
/// outputs (`target/`, `node_modules/`) and hidden entries are skipped.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "target" || name == "node_modules")
        })
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_and_respect_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/a.txt");
        write_atomically(&file, b"one").unwrap();
        write_atomically(&file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        let mut perms = std::fs::metadata(&file).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&file, perms).unwrap();
        assert!(write_atomically(&file, b"three").is_err());
        assert_eq!(std::fs::read(&file).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_keep_the_file_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("01_x.rs");
        let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        write_atomically(&file, b"new").unwrap();
        assert_eq!(mode(&file), 0o644, "a new file is readable by others");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomically(&file, b"replaced").unwrap();
        assert_eq!(mode(&file), 0o664, "a replaced file keeps its mode");
    }

    #[cfg(unix)]
    #[test]
    fn reads_beneath_a_root_follow_no_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/f.txt"), "plain").unwrap();
        std::fs::write(root.join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(root.join("secret"), root.join("a/link.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("dirlink")).unwrap();
        assert_eq!(read_beneath(root, Path::new("a/f.txt")).unwrap(), b"plain");
        for bad in ["a/link.txt", "dirlink/f.txt", "../x", "a", "/etc/passwd"] {
            let e = read_beneath(root, Path::new(bad)).unwrap_err();
            assert_ne!(e.kind(), std::io::ErrorKind::NotFound, "{bad}");
        }
        assert_eq!(
            read_beneath(root, Path::new("a/none")).unwrap_err().kind(),
            std::io::ErrorKind::NotFound
        );
        assert!(metadata_beneath(root, Path::new("a")).unwrap().is_dir());
    }

    #[test]
    fn backups_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join("exercises/01_x.rs");
        std::fs::create_dir_all(root.join("exercises")).unwrap();
        assert_eq!(back_up(root, &file).unwrap(), None);
        std::fs::write(&file, "first").unwrap();
        let a = back_up(root, &file).unwrap().unwrap();
        std::fs::write(&file, "second").unwrap();
        let b = back_up(root, &file).unwrap().unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "first");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "second");
        assert_eq!(backups_of(root, &file), vec![a.clone(), b.clone()]);
        // A backup removed (pruned): the next still sorts last.
        std::fs::remove_file(&a).unwrap();
        std::fs::write(&file, "third").unwrap();
        let c = back_up(root, &file).unwrap().unwrap();
        assert_eq!(backups_of(root, &file), vec![b, c]);
    }

    #[test]
    fn backups_live_out_of_the_exercises_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let file = root.join("exercises/01_x.rs");
        std::fs::create_dir_all(root.join("exercises")).unwrap();
        std::fs::write(&file, "mine").unwrap();
        let kept = back_up(root, &file).unwrap().unwrap();
        assert_eq!(
            kept.parent().unwrap(),
            root.join(".workbook/backups/exercises")
        );
        let beside: Vec<_> = std::fs::read_dir(root.join("exercises"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(beside, vec![std::ffi::OsString::from("01_x.rs")]);
    }

    #[test]
    fn backups_beside_the_files_move_out_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let exercises = root.join("exercises");
        let kept = root.join(".workbook/backups/exercises");
        std::fs::create_dir_all(&exercises).unwrap();
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::write(exercises.join("01_x.rs"), "now").unwrap();
        std::fs::write(exercises.join("01_x.rs.backup-100"), "old").unwrap();
        std::fs::write(exercises.join("01_x.rs.backup-100-2"), "older").unwrap();
        // Already there with the same content: the one beside goes.
        std::fs::write(exercises.join("02_y.rs.backup-5"), "same").unwrap();
        std::fs::write(kept.join("02_y.rs.backup-5"), "same").unwrap();
        // Already there with another content: both stay.
        std::fs::write(exercises.join("03_z.rs.backup-7"), "mine").unwrap();
        std::fs::write(kept.join("03_z.rs.backup-7"), "other").unwrap();
        // Not a backup: stays.
        std::fs::write(exercises.join("notes.backup-old"), "n").unwrap();
        assert_eq!(move_backups_out(root, &exercises).unwrap(), 2);
        let file = exercises.join("01_x.rs");
        let moved = backups_of(root, &file);
        assert_eq!(
            moved,
            vec![
                kept.join("01_x.rs.backup-100"),
                kept.join("01_x.rs.backup-100-2")
            ]
        );
        assert_eq!(std::fs::read_to_string(&moved[1]).unwrap(), "older");
        assert!(!exercises.join("02_y.rs.backup-5").exists());
        assert_eq!(
            std::fs::read_to_string(exercises.join("03_z.rs.backup-7")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(kept.join("03_z.rs.backup-7")).unwrap(),
            "other"
        );
        assert!(exercises.join("notes.backup-old").exists());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "now");
        // A second start has nothing left to move.
        assert_eq!(move_backups_out(root, &exercises).unwrap(), 0);
    }
}
