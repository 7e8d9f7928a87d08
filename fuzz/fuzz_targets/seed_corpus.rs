//! Writes seed inputs (a valid snapshot and journal) into the corpus
//! directories: `cargo run --manifest-path fuzz/Cargo.toml --bin seed_corpus`.

fn main() {
    for (dir, data) in [("fuzz/corpus/snapshot_load", redlet::persist::fuzz::seed_snapshot()), ("fuzz/corpus/journal_replay", redlet::persist::fuzz::seed_journal())] {
        std::fs::create_dir_all(dir).expect("create corpus dir");
        std::fs::write(format!("{dir}/seed"), data).expect("write seed");
    }
    std::fs::create_dir_all("fuzz/corpus/resp_parse").expect("create corpus dir");
    std::fs::write("fuzz/corpus/resp_parse/seed", b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nPING\r\n").expect("write seed");
}
