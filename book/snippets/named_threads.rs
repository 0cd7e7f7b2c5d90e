use std::thread;

fn main() {
    // Two named threads, each summing one half of 1..=100.
    let handles: Vec<thread::JoinHandle<u64>> = (0..2u64)
        .map(|k| {
            thread::Builder::new()
                .name(format!("chunk-{k}"))
                .spawn(move || {
                    let part: u64 = (k * 50 + 1..=(k + 1) * 50).sum();
                    let me = thread::current();
                    println!("{} summed its half: {part}", me.name().unwrap_or("?"));
                    part
                })
                .expect("the operating system refused a thread")
        })
        .collect();
    // `join` waits for each thread in turn and hands back what it returned.
    let total: u64 = handles
        .into_iter()
        .map(|handle| handle.join().expect("a worker thread panicked"))
        .sum();
    println!("total: {total}");
}
