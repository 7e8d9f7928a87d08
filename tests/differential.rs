//! Differential test: seeded random command sequences run on an in-process
//! redlet engine and on a real `redis-server` (started by the test), replies
//! and final keyspaces compared. See README.md "Testing".
//!
//! Environment: `REDLET_DIFF_SEED=n`, `REDLET_DIFF_FAMILY=lists[,sets]`,
//! `REDLET_DIFF_LONG=1` (1,000,000 commands per family),
//! `REDLET_DIFF_COMMANDS=n`, `REDLET_DIFF_SHRINK_SECS=n`,
//! `REDLET_DIFF_TARGET=host:port` (redlet's side is a RESP server running
//! redlet instead of an in-process engine, e.g. `redlet serve --port 7001`),
//! `REDLET_DIFF_SELFTEST=1` (a second redis-server in redlet's place). See
//! `diff/mod.rs`.

mod diff;

use diff::gen::Family;
use diff::run::run_family;

#[test]
fn differential_strings() {
    run_family(Family::Strings);
}

#[test]
fn differential_keys() {
    run_family(Family::Keys);
}

#[test]
fn differential_hashes() {
    run_family(Family::Hashes);
}

#[test]
fn differential_lists() {
    run_family(Family::Lists);
}

#[test]
fn differential_sets() {
    run_family(Family::Sets);
}

#[test]
fn differential_server() {
    run_family(Family::Server);
}

#[test]
fn differential_zsets() {
    run_family(Family::Zsets);
}

#[test]
fn differential_bitmaps() {
    run_family(Family::Bitmaps);
}

#[test]
fn differential_hll() {
    run_family(Family::Hll);
}

#[test]
fn differential_streams() {
    run_family(Family::Streams);
}

#[test]
fn differential_geo() {
    run_family(Family::Geo);
}

#[test]
fn differential_scripts() {
    run_family(Family::Scripts);
}

#[test]
fn differential_acl() {
    diff::multi::run_acl();
}

#[test]
fn differential_tracking() {
    diff::multi::run_tracking();
}

#[test]
fn differential_blocking() {
    diff::multi::run_blocking();
}
