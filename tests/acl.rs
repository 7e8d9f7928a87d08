//! ACL users in the engine: what the differential scenarios cannot follow
//! (connections closed by DELUSER, by ACL LOAD and by channel rules taken
//! away; users declared in the configuration; the ACL file through
//! storage; requirepass and the default user) and the security test of the
//! Rust face: a caller confined to `~a:*` stays there. Expected replies are
//! redis-server 7.0.15's for the same commands.

mod common;

use common::*;
use redlet::storage::{MemStorage, Storage};
use redlet::Config;

fn authed(e: &mut redlet::Engine, user: &str) -> redlet::ClientId {
    let c = client(e);
    assert_eq!(resp(e, c, &format!("AUTH {user} pw")), "+OK\r\n");
    c
}

#[test]
fn deluser_closes_the_users_connections() {
    let (mut e, _clock) = engine();
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "ACL SETUSER bob on >pw +@all ~*"), "+OK\r\n");
    let b1 = authed(&mut e, "bob");
    let b2 = authed(&mut e, "bob");
    let other = client(&mut e);
    assert_eq!(resp(&mut e, admin, "ACL DELUSER bob nobody"), ":1\r\n");
    assert!(e.should_close(b1) && e.should_close(b2) && !e.should_close(other) && !e.should_close(admin));
    // A user deleting itself gets its reply, then the connection closes.
    assert_eq!(resp(&mut e, admin, "ACL SETUSER carl on >pw +@all ~*"), "+OK\r\n");
    let c = authed(&mut e, "carl");
    assert_eq!(resp(&mut e, c, "ACL DELUSER carl"), ":1\r\n");
    assert!(e.should_close(c));
    assert_eq!(resp(&mut e, admin, "ACL DELUSER default"), "-ERR The 'default' user cannot be removed\r\n");
}

#[test]
fn taking_channels_away_closes_subscribers_that_lose_them() {
    let (mut e, _clock) = engine();
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "ACL SETUSER s on >pw +@all ~* resetchannels &news:* &chat"), "+OK\r\n");
    let news = authed(&mut e, "s");
    let chat = authed(&mut e, "s");
    let pat = authed(&mut e, "s");
    run(&mut e, news, "SUBSCRIBE news:1");
    run(&mut e, chat, "SUBSCRIBE chat");
    run(&mut e, pat, "PSUBSCRIBE news:*");
    assert_eq!(resp(&mut e, pat, "PSUBSCRIBE news:1*"), "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
    // Still a superset: nobody is closed.
    assert_eq!(resp(&mut e, admin, "ACL SETUSER s &more"), "+OK\r\n");
    assert!(!e.should_close(news) && !e.should_close(chat) && !e.should_close(pat));
    // `chat` goes: only its subscriber is closed. A pattern subscription
    // needs the same pattern, literally.
    assert_eq!(resp(&mut e, admin, "ACL SETUSER s resetchannels &news:*"), "+OK\r\n");
    assert!(!e.should_close(news) && e.should_close(chat) && !e.should_close(pat));
    assert_eq!(resp(&mut e, admin, "ACL SETUSER s resetchannels &news:1"), "+OK\r\n");
    assert!(!e.should_close(news) && e.should_close(pat));
}

#[test]
fn users_declared_in_the_configuration() {
    let mut cfg = Config::default();
    cfg.set_param("user", "alice on >pw ~a:* (+get ~b) +set").unwrap();
    cfg.set_param("user", "default on nopass ~* &* +@all -flushall").unwrap();
    assert_eq!(cfg.set_param("user", "alice off").unwrap_err().to_string(), "ERR Error in user declaration 'alice': Duplicate user found. A user can only be defined once in config files");
    assert_eq!(cfg.set_param("user", "bob %X~a").unwrap_err().to_string(), "ERR Error in user declaration 'user': Syntax error");
    assert_eq!(cfg.set_param("user", "bob on +nosuch").unwrap_err().to_string(), "ERR Error loading ACL rule '+nosuch' for the user named 'bob': Unknown command or category name in ACL");
    let (mut e, _clock) = engine_with(cfg);
    let c = client(&mut e);
    let list = resp(&mut e, c, "ACL LIST");
    assert!(list.contains("user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~a:* resetchannels -@all +set (~b resetchannels -@all +get)"), "{list}");
    assert!(list.contains("user default on nopass sanitize-payload ~* &* +@all -flushall"), "{list}");
    assert_eq!(resp(&mut e, c, "FLUSHALL"), "-NOPERM this user has no permissions to run the 'flushall' command\r\n");
}

#[test]
fn acl_file_through_storage() {
    let mut cfg = Config::default();
    cfg.set_param("aclfile", "users.acl").unwrap();
    let (mut e, _clock) = engine_with(cfg.clone());
    let mut st = MemStorage::new();
    st.begin("acl").unwrap();
    st.write("acl", b"user default on nopass ~* &* +@all\nuser alice on >pw ~a:* +@read\n").unwrap();
    st.commit("acl").unwrap();
    e.set_storage(Box::new(st));
    e.load().unwrap();
    let c = client(&mut e);
    assert!(resp(&mut e, c, "ACL USERS").contains("alice"));
    let a = authed(&mut e, "alice");
    assert_eq!(resp(&mut e, c, "ACL SETUSER bob on >pw"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ACL SAVE"), "+OK\r\n");
    // LOAD replaces every user; non-default users' connections close.
    assert_eq!(resp(&mut e, c, "ACL DELUSER bob"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ACL LOAD"), "+OK\r\n");
    assert!(e.should_close(a) && !e.should_close(c));
    assert!(resp(&mut e, c, "ACL USERS").contains("bob"));
    // A broken file changes nothing.
    let mut st = e.take_storage().unwrap();
    st.begin("acl").unwrap();
    st.write("acl", b"user default on nopass ~* &* +@all\nuser x on +nosuch\nnot a user line\n").unwrap();
    st.commit("acl").unwrap();
    e.set_storage(st);
    assert_eq!(
        resp(&mut e, c, "ACL LOAD"),
        "-ERR users.acl:2: Error in applying operation '+nosuch': Unknown command or category name in ACL. users.acl:3 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n"
    );
    assert!(resp(&mut e, c, "ACL USERS").contains("bob"));
    // Without an aclfile: Redis's error.
    let (mut e2, _clock) = engine();
    let c2 = client(&mut e2);
    assert!(resp(&mut e2, c2, "ACL SAVE").starts_with("-ERR This Redis instance is not configured to use an ACL file."));
    // An aclfile that cannot be read fails the load, as redis-server exits.
    let (mut e3, _clock) = engine_with(cfg);
    e3.set_storage(Box::new(MemStorage::new()));
    let err = e3.load().unwrap_err();
    assert_eq!(err.reason, "Error loading ACLs, opening file 'users.acl': No such file or directory");
}

#[test]
fn requirepass_is_the_default_users_password() {
    let (mut e, _clock) = engine();
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "AUTH x"), "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n");
    assert_eq!(resp(&mut e, admin, "CONFIG SET requirepass s3cret"), "+OK\r\n");
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "GET k"), "-NOAUTH Authentication required.\r\n");
    assert_eq!(resp(&mut e, c, "AUTH wrong"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assert_eq!(resp(&mut e, c, "AUTH default s3cret"), "+OK\r\n");
    // ACL rules on the default user survive a CONFIG SET of something else.
    assert_eq!(resp(&mut e, admin, "ACL SETUSER default >other"), "+OK\r\n");
    assert_eq!(resp(&mut e, admin, "CONFIG SET maxmemory 0"), "+OK\r\n");
    let d = client(&mut e);
    assert_eq!(resp(&mut e, d, "AUTH other"), "+OK\r\n");
    // RESET goes back to the default user, unauthenticated.
    assert_eq!(resp(&mut e, admin, "ACL SETUSER u on >pw +@all ~*"), "+OK\r\n");
    let u = authed(&mut e, "u");
    assert_eq!(resp(&mut e, u, "RESET"), "+RESET\r\n");
    assert_eq!(resp(&mut e, u, "ACL WHOAMI"), "-NOAUTH Authentication required.\r\n");
    // The log has the failed AUTH.
    let log = resp(&mut e, admin, "ACL LOG 1");
    assert!(log.contains("$6\r\nreason\r\n$4\r\nauth\r\n") && log.contains("$8\r\nusername\r\n$7\r\ndefault\r\n"), "{log}");
}

/// The security test of the Rust face: a caller confined to `~a:*` and
/// `&a:*` cannot read, write or delete other keys, cannot subscribe or
/// publish elsewhere, cannot reach other keys through a script, and cannot
/// escalate with ACL, CONFIG, DEBUG or SCRIPT FLUSH. (Redis 7.0 does not
/// filter SCAN or KEYS by key patterns: confinement means not granting
/// them, as this user's rules do.)
#[test]
fn a_confined_caller_stays_in_its_prefix() {
    let (mut e, _clock) = engine();
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "SET b:1 secret"), "+OK\r\n");
    assert_eq!(resp(&mut e, admin, "ACL SETUSER app on >pw ~a:* resetchannels &a:* +@all -@admin -@dangerous -scan -randomkey -script|flush"), "+OK\r\n");
    let app = authed(&mut e, "app");
    assert_eq!(resp(&mut e, app, "SET a:1 v"), "+OK\r\n");
    assert_eq!(resp(&mut e, app, "GET a:1"), "$1\r\nv\r\n");
    let key = "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
    for line in ["GET b:1", "SET b:1 x", "DEL b:1", "COPY a:1 b:2", "RENAME a:1 b:1", "MGET a:1 b:1", "LMOVE a:l b:l LEFT LEFT"] {
        assert_eq!(resp(&mut e, app, line), key, "{line}");
    }
    for (line, name) in [("KEYS *", "keys"), ("SCAN 0", "scan"), ("RANDOMKEY", "randomkey"), ("FLUSHALL", "flushall"), ("CONFIG SET maxmemory 1", "config|set"), ("DEBUG SLEEP 0", "debug"), ("ACL SETUSER app ~*", "acl|setuser"), ("SCRIPT FLUSH", "script|flush"), ("SORT a:1 STORE b:1", "sort")] {
        assert_eq!(resp(&mut e, app, line), format!("-NOPERM this user has no permissions to run the '{name}' command\r\n"), "{line}");
    }
    assert_eq!(resp(&mut e, app, "EVAL return(1) 0"), ":1\r\n");
    let script = run(&mut e, app, "EVAL redis.call('get','b:1') 0");
    let text = String::from_utf8_lossy(&script.to_resp(redlet::Protocol::Resp2)).into_owned();
    assert!(text.starts_with("-ERR The user executing the script can't access at least one of the keys mentioned in the command arguments"), "{text}");
    let chan = "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n";
    assert_eq!(resp(&mut e, app, "PUBLISH b:news x"), chan);
    assert_eq!(resp(&mut e, app, "PUBLISH a:news x"), ":0\r\n");
    assert_eq!(resp(&mut e, app, "SUBSCRIBE b:news"), chan);
    assert_eq!(resp(&mut e, app, "PSUBSCRIBE *"), chan);
    // Nothing outside the prefix changed.
    assert_eq!(resp(&mut e, admin, "GET b:1"), "$6\r\nsecret\r\n");
    assert_eq!(resp(&mut e, admin, "EXISTS b:2"), ":0\r\n");
}

/// Protected mode (`redlet serve`'s accept gate): with no password on the
/// default user a remote peer is refused with Redis's DENIED text and
/// counted; a loopback peer, a password or `protected-mode no` lets it in.
#[test]
fn protected_mode_refuses_remote_peers_without_a_password() {
    let (mut e, _clock) = engine();
    let denied = e.admit(0, false).unwrap_err();
    assert!(denied.starts_with("-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user."));
    assert!(e.admit(0, true).is_ok());
    let c = client(&mut e);
    assert!(resp(&mut e, c, "INFO stats").contains("rejected_connections:1\r\n"));
    assert_eq!(resp(&mut e, c, "ACL SETUSER default >pw"), "+OK\r\n");
    assert!(e.admit(0, false).is_ok());
    assert_eq!(resp(&mut e, c, "ACL SETUSER default nopass"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "CONFIG SET protected-mode no"), "+OK\r\n");
    assert!(e.admit(0, false).is_ok());
    assert_eq!(e.admit(10000, true).unwrap_err(), "-ERR max number of clients reached\r\n");
}

/// `Engine::acl_permits`: a host running commands another way (the typed
/// API) asks first; the refusal is Redis's NOPERM and is logged.
#[test]
fn hosts_can_check_a_command_for_a_client() {
    let (mut e, _clock) = engine();
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "ACL SETUSER app on >pw ~a:* +@all"), "+OK\r\n");
    let app = authed(&mut e, "app");
    assert!(e.acl_permits(app, &[b"GET", b"a:1"]).is_ok());
    let err = e.acl_permits(app, &[b"GET", b"b:1"]).unwrap_err();
    assert_eq!(err.to_string(), "NOPERM this user has no permissions to access one of the keys used as arguments");
    assert!(e.acl_permits(admin, &[b"GET", b"b:1"]).is_ok());
    assert!(resp(&mut e, admin, "ACL LOG").contains("$3\r\nb:1\r\n"));
}

/// DEBUG and MODULE LOAD are refused by their `enable-*` options before
/// authentication and ACLs look at them (processCommand's order), also
/// while queueing in MULTI. Expected replies are redis-server 7.0.15's.
#[test]
fn protected_commands_are_refused_before_acls() {
    let mut cfg = Config::default();
    cfg.set_param("enable-debug-command", "no").unwrap();
    cfg.set_param("enable-module-command", "no").unwrap();
    let (mut e, _clock) = engine_with(cfg);
    let admin = client(&mut e);
    assert_eq!(resp(&mut e, admin, "ACL SETUSER u on >pw -@all +multi"), "+OK\r\n");
    let u = authed(&mut e, "u");
    let debug = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
    let module = "-ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
    assert_eq!(resp(&mut e, u, "DEBUG SLEEP 0"), debug);
    assert_eq!(resp(&mut e, u, "MODULE LOAD /x"), module);
    assert_eq!(resp(&mut e, u, "MODULE LIST"), "-NOPERM this user has no permissions to run the 'module|list' command\r\n");
    assert_eq!(resp(&mut e, u, "MULTI"), "+OK\r\n");
    assert_eq!(resp(&mut e, u, "DEBUG SLEEP 0"), debug);
    assert_eq!(resp(&mut e, u, "EXEC"), "-EXECABORT Transaction discarded because of: NOPERM this user has no permissions to run the 'exec' command\r\n");
    // Before authentication too.
    assert_eq!(resp(&mut e, admin, "CONFIG SET requirepass secret"), "+OK\r\n");
    let anon = client(&mut e);
    assert_eq!(resp(&mut e, anon, "DEBUG SLEEP 0"), debug);
    assert_eq!(resp(&mut e, anon, "GET k"), "-NOAUTH Authentication required.\r\n");
}
