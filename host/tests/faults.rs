//! Storage faults end to end: `redlet serve` with the `REDLET_FAULTS`
//! hook failing a write, an fsync, the rename, or filling the disk. A
//! failed SAVE replies with an error, is reported by INFO persistence
//! (`rdb_last_bgsave_status:err`), makes writes fail with MISCONF
//! (`stop-writes-on-bgsave-error yes`), never touches the last good
//! snapshot, and SHUTDOWN/SIGTERM keep serving; the data comes back from
//! the good snapshot after a restart. Also: a corrupt snapshot stops the
//! start with an error naming the file, leaving it untouched.

mod common;
use common::*;

use std::process::{Command, Stdio};
use std::time::Duration;

fn start_env(dir: &std::path::Path, faults: &str, extra: &[&str]) -> Redlet {
    Redlet::start_env(dir, extra, &[("REDLET_FAULTS", faults)])
        .unwrap_or_else(|(code, log)| panic!("redlet did not start (exit {code:?}):\n{}", log.join("\n")))
}

fn info_field(c: &mut Client, field: &str) -> String {
    let text = c.cmd("INFO persistence").text();
    text.lines().find_map(|l| l.strip_prefix(&format!("{field}:")).map(str::to_string)).unwrap_or_else(|| panic!("no {field} in INFO:\n{text}"))
}

#[test]
fn failed_saves_keep_the_last_good_snapshot() {
    for fault in ["write", "fsync", "rename", "enospc:100"] {
        let dir = tmpdir("faults");
        {
            let mut srv = start_env(&dir, "", &["--save", ""]);
            let mut c = srv.client();
            for i in 0..200 {
                c.cmd(&format!("SET good{i} {i}"));
            }
            assert_eq!(c.cmd("SAVE"), Val::Status(b"OK".to_vec()));
            assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "ok");
            srv.kill();
        }
        let good = std::fs::read(dir.join("redlet.snapshot")).expect("snapshot written by SAVE");
        {
            // Save points configured (far off): MISCONF needs them, as in
            // Redis.
            let mut srv = start_env(&dir, fault, &["--save", "3600 1"]);
            let mut c = srv.client();
            assert_eq!(c.cmd("GET good7"), Val::Bulk(Some(b"7".to_vec())));
            assert_eq!(c.cmd("SET bad 1"), Val::Status(b"OK".to_vec()));
            let r = c.cmd("SAVE");
            assert!(matches!(&r, Val::Err(e) if e.starts_with(b"ERR")), "{fault}: SAVE replied {r:?}");
            // A failed foreground SAVE leaves the status alone (Redis's
            // rdbSave); a failed BGSAVE turns it to err and stops writes.
            assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "ok", "{fault}");
            assert_eq!(c.cmd("SET bad2 1"), Val::Status(b"OK".to_vec()));
            assert_eq!(c.cmd("BGSAVE"), Val::Status(b"Background saving started".to_vec()));
            assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "err", "{fault}");
            let w = c.cmd("SET other 1");
            assert!(matches!(&w, Val::Err(e) if e.starts_with(b"MISCONF")), "{fault}: write after a failed save: {w:?}");
            assert_eq!(c.cmd("GET good7"), Val::Bulk(Some(b"7".to_vec())), "reads still work");
            assert_eq!(std::fs::read(dir.join("redlet.snapshot")).unwrap(), good, "{fault}: snapshot changed");
            // SHUTDOWN's save fails too: an error, and the server stays up.
            let r = c.cmd("SHUTDOWN");
            assert!(matches!(&r, Val::Err(_)), "{fault}: SHUTDOWN replied {r:?}");
            // (PING would get MISCONF, as in Redis.)
            assert_eq!(c.cmd("GET good7"), Val::Bulk(Some(b"7".to_vec())));
            // So does SIGTERM's.
            assert_eq!(srv.signal_and_wait_ms("TERM", 500), None, "{fault}: exited on SIGTERM after a failed save");
            let mut c = srv.client();
            assert_eq!(c.cmd("GET good7"), Val::Bulk(Some(b"7".to_vec())));
            assert_eq!(std::fs::read(dir.join("redlet.snapshot")).unwrap(), good, "{fault}: snapshot changed");
            // No temp file is left behind.
            let names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            assert!(names.iter().all(|n| !n.contains(".tmp")), "{fault}: {names:?}");
            // NOSAVE exits 0 without touching the snapshot.
            assert_eq!(c.try_call(&[b"SHUTDOWN", b"NOSAVE"]), None, "SHUTDOWN NOSAVE closes without a reply");
            assert_eq!(srv.wait(Duration::from_secs(10)), Some(0), "{fault}: SHUTDOWN NOSAVE");
        }
        let srv = start_env(&dir, "", &["--save", ""]);
        let mut c = srv.client();
        assert_eq!(c.cmd("DBSIZE"), Val::Int(200), "{fault}: the good snapshot is what loads");
        drop(srv);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn sigterm_and_shutdown_save() {
    let dir = tmpdir("shutdown");
    let mut srv = start_env(&dir, "", &[]);
    let mut c = srv.client();
    c.cmd("SET a 1");
    assert_eq!(srv.signal_and_wait("TERM"), Some(0), "SIGTERM exits 0");
    assert!(dir.join("redlet.snapshot").exists(), "SIGTERM with --dir saves");
    let mut srv = start_env(&dir, "", &[]);
    let mut c = srv.client();
    assert_eq!(c.cmd("GET a"), Val::Bulk(Some(b"1".to_vec())));
    c.cmd("SET b 2");
    assert_eq!(c.try_call(&[b"SHUTDOWN"]), None, "SHUTDOWN closes without a reply");
    assert_eq!(srv.wait(Duration::from_secs(10)), Some(0), "SHUTDOWN exits 0");
    let srv = start_env(&dir, "", &[]);
    let mut c = srv.client();
    assert_eq!(c.cmd("GET b"), Val::Bulk(Some(b"2".to_vec())), "SHUTDOWN saved");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corrupt_snapshot_refuses_to_start() {
    let dir = tmpdir("corrupt");
    {
        let mut srv = start_env(&dir, "", &[]);
        let mut c = srv.client();
        for i in 0..50 {
            c.cmd(&format!("SET k{i} {i}"));
        }
        assert_eq!(c.cmd("SAVE"), Val::Status(b"OK".to_vec()));
        srv.kill();
    }
    let path = dir.join("redlet.snapshot");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--port", "0", "--dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success(), "started on a corrupt snapshot");
    let log = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(log.contains(path.to_str().unwrap()), "error does not name the file:\n{log}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the corrupt file was modified");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A journal append that fails with `appendfsync always` stops the server
/// before the replies of that batch go out: every acknowledged write is in
/// the journal, and the data folder still loads.
#[test]
fn journal_failure_with_fsync_always_never_acknowledges() {
    for fault in ["append:40", "fsync:40", "enospc:3000"] {
        let dir = tmpdir("jfault");
        let mut srv = Redlet::start_env(&dir, &["--appendonly", "yes", "--appendfsync", "always", "--save", ""], &[("REDLET_FAULTS", fault)])
            .unwrap_or_else(|(c, l)| panic!("{c:?} {}", l.join("\n")));
        let mut c = srv.client();
        let mut acked = Vec::new();
        for i in 0..2000 {
            match c.try_call(&[b"SET", format!("k{i}").as_bytes(), b"v"]) {
                Some(Val::Status(s)) if s == b"OK" => acked.push(i),
                Some(other) => panic!("{fault}: unexpected reply {other:?}"),
                None => break,
            }
        }
        assert!(acked.len() < 2000, "{fault}: the fault never fired");
        assert_ne!(srv.wait(Duration::from_secs(10)), Some(0), "{fault}: exit status");
        let srv = Redlet::start(&dir, &["--appendonly", "yes", "--save", ""]).unwrap_or_else(|(c, l)| panic!("{fault}: restart {c:?} {}", l.join("\n")));
        let mut c = srv.client();
        for i in &acked {
            assert_eq!(c.call(&[b"GET", format!("k{i}").as_bytes()]), Val::Bulk(Some(b"v".to_vec())), "{fault}: acknowledged k{i} lost");
        }
        drop(srv);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
