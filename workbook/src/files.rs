//! Writing files so that a reader never sees half of one, keeping a backup
//! before a learner's file is replaced, walking directories, and the clock.

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

/// Copies the current content of `file` (if it exists) to a new
/// `NAME.backup-UNIXTIME[-N]` beside it and returns that path; `None` when
/// there was no file to keep. Never overwrites an earlier backup.
pub fn back_up(file: &Path) -> std::io::Result<Option<PathBuf>> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = now_unix();
    // After the last backup of this second: a number freed by pruning must
    // not be taken again, or the newest would sort before older ones.
    let taken = backups_of(file)
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
        let suffix = if n == 1 {
            format!("{name}.backup-{stamp}")
        } else {
            format!("{name}.backup-{stamp}-{n}")
        };
        let candidate = file.with_file_name(suffix);
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

/// The backups of `file` made by [`back_up`], oldest first.
pub fn backups_of(file: &Path) -> Vec<PathBuf> {
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let prefix = format!("{name}.backup-");
    let dir = file.parent().unwrap_or(Path::new("."));
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
        let file = dir.path().join("01_x.rs");
        assert_eq!(back_up(&file).unwrap(), None);
        std::fs::write(&file, "first").unwrap();
        let a = back_up(&file).unwrap().unwrap();
        std::fs::write(&file, "second").unwrap();
        let b = back_up(&file).unwrap().unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "first");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "second");
        assert_eq!(backups_of(&file), vec![a.clone(), b.clone()]);
        // A backup removed (pruned): the next still sorts last.
        std::fs::remove_file(&a).unwrap();
        std::fs::write(&file, "third").unwrap();
        let c = back_up(&file).unwrap().unwrap();
        assert_eq!(backups_of(&file), vec![b, c]);
    }
}
