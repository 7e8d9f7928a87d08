//! Server and connection commands through `execute`: exact replies checked
//! against redis-server 7.0.15 (`redis-cli`, RESP2 and RESP3), INFO fields,
//! CONFIG round trips and errors, CLIENT bookkeeping.
mod common;
use common::*;
use redlet::clock::Clock;
use redlet::{ClientInfo, Config, Protocol, Reply};

/// Runs argv (no splitting, so arguments may hold spaces) and renders the
/// reply in the client's protocol after the command.
fn r(e: &mut redlet::Engine, c: redlet::ClientId, argv: &[&str]) -> String {
    let refs: Vec<&[u8]> = argv.iter().map(|s| s.as_bytes()).collect();
    let reply = e.execute(c, &refs).expect("command blocked");
    String::from_utf8_lossy(&reply.to_resp(e.protocol(c))).into_owned()
}

fn info(e: &mut redlet::Engine, c: redlet::ClientId, section: &str) -> String {
    match e.execute(c, &[b"INFO", section.as_bytes()]) {
        Some(Reply::Verbatim("txt", t)) => String::from_utf8(t).unwrap(),
        other => panic!("INFO replied {:?}", other),
    }
}

fn field(info: &str, name: &str) -> String {
    let prefix = format!("{}:", name);
    info.split("\r\n").find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {} in {}", name, info)).to_string()
}

#[test]
fn config_get_set_and_errors() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["PING"]), "+PONG\r\n");
    assert_eq!(r(&mut e, c, &["PING", "hello"]), "$5\r\nhello\r\n");
    assert_eq!(r(&mut e, c, &["PING", "a", "b"]), "-ERR wrong number of arguments for 'ping' command\r\n");
    assert_eq!(r(&mut e, c, &["ECHO", "foo"]), "$3\r\nfoo\r\n");
    assert_eq!(r(&mut e, c, &["ECHO"]), "-ERR wrong number of arguments for 'echo' command\r\n");
    assert_eq!(r(&mut e, c, &["TIME", "x"]), "-ERR wrong number of arguments for 'time' command\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory"]), "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "MAXMEMORY", "maxmemory"]), "*2\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory-policy", "hash-max-ziplist-entries"]), "*4\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "nonexistent"]), "*0\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET"]), "-ERR wrong number of arguments for 'config|get' command\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "1gb"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory"]), "*2\r\n$9\r\nmaxmemory\r\n$10\r\n1073741824\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "abc"]), "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "port", "abc"]), "-ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "databases", "3"]), "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "DATABASES", "3"]), "-ERR CONFIG SET failed (possibly related to argument 'DATABASES') - can't set immutable config\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "dir", "/tmp"]), "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "foo", "bar"]), "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory"]), "-ERR wrong number of arguments for 'config|set' command\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"]), "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "1", "foo", "2"]), "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "x", "foo", "2"]), "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "MAXMEMORY", "x"]), "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "appendfsync", "x"]), "-ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory-policy"]), "*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-policy", "noeviction"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hz", "1000"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "hz"]), "*2\r\n$2\r\nhz\r\n$3\r\n500\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hz", "10"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hz", "-5"]), "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "lfu-log-factor", "2147483648"]), "-ERR CONFIG SET failed (possibly related to argument 'lfu-log-factor') - argument must be between 0 and 2147483647 inclusive\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxclients", "-1"]), "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-clients", "50%"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory-clients"]), "*2\r\n$17\r\nmaxmemory-clients\r\n$3\r\n50%\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-clients", "200%"]), "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-clients", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "save", "3600  1"]), "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "save", "0 1"]), "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "save", "1 0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "save"]), "*2\r\n$4\r\nsave\r\n$3\r\n1 0\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "save", ""]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "save"]), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "notify-keyspace-events", "KEA"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "notify-keyspace-events"]), "*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "notify-keyspace-events", "q"]), "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "notify-keyspace-events", ""]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2 3"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "client-output-buffer-limit"]), "*2\r\n$26\r\nclient-output-buffer-limit\r\n$73\r\nnormal 1048576 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"]), "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"]), "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "client-output-buffer-limit", "normal x 2 3"]), "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "oom-score-adj", "relative"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "oom-score-adj"]), "*2\r\n$13\r\noom-score-adj\r\n$3\r\nyes\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "oom-score-adj", "no"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "shutdown-on-sigint", "now save"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "shutdown-on-sigint"]), "*2\r\n$18\r\nshutdown-on-sigint\r\n$8\r\nsave now\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "shutdown-on-sigint", "save nosave"]), "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "shutdown-on-sigint", ""]), "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "shutdown-on-sigint", "default"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.90 12.5"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "latency-tracking-info-percentiles"]), "*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$12\r\n50 99.9 12.5\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "latency-tracking-info-percentiles", "101"]), "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "latency-tracking-info-percentiles", "x"]), "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "18446744073709551615"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory"]), "*2\r\n$9\r\nmaxmemory\r\n$20\r\n18446744073709551615\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "activedefrag", "yes"]), "-ERR CONFIG SET failed (possibly related to argument 'activedefrag') - Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "activedefrag", "maybe"]), "-ERR CONFIG SET failed (possibly related to argument 'activedefrag') - argument must be 'yes' or 'no'\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "appendonly", "no"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "dbfilename", "a/b"]), "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "unixsocketperm", "777"]), "-ERR CONFIG SET failed (possibly related to argument 'unixsocketperm') - can't set immutable config\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hash-max-ziplist-entries", "100", "hash-max-listpack-entries", "200"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "hash-max-listpack-entries"]), "*2\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n200\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hash-max-listpack-entries", "512"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "list-max-listpack-size", "-2"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "proto-max-bulk-len", "1000"]), "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "proto-max-bulk-len", "2mb"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "proto-max-bulk-len"]), "*2\r\n$18\r\nproto-max-bulk-len\r\n$7\r\n2097152\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "proto-max-bulk-len", "512mb"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory-samples", "0"]), "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "loglevel", "warning"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "loglevel"]), "*2\r\n$8\r\nloglevel\r\n$7\r\nwarning\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "loglevel", "bogus"]), "-ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "loglevel", "notice"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "cluster-announce-hostname", "a b"]), "-ERR CONFIG SET failed (possibly related to argument 'cluster-announce-hostname') - Hostnames may only contain alphanumeric characters, hyphens or dots\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "requirepass", ""]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "timeout", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "timeout"]), "*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "RESETSTAT"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "REWRITE"]), "-ERR The server is running without a config file\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "HELP"]), "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n+REWRITE\r\n+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "FOO"]), "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG"]), "-ERR wrong number of arguments for 'config' command\r\n");
}

#[test]
fn client_command_memory_debug_errors() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["HELLO", "4"]), "-NOPROTO unsupported protocol version\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "1"]), "-NOPROTO unsupported protocol version\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "abc"]), "-ERR Protocol version is not an integer or out of range\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "3", "SETNAME", "a b"]), "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "3", "SETNAME"]), "-ERR Syntax error in HELLO option 'SETNAME'\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "3", "FOO"]), "-ERR Syntax error in HELLO option 'FOO'\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "3", "AUTH", "foo", "x"]), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "3", "AUTH", "default"]), "-ERR Syntax error in HELLO option 'AUTH'\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "2", "auth"]), "-ERR Syntax error in HELLO option 'auth'\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "20000000000000000000"]), "-ERR Protocol version is not an integer or out of range\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "-1"]), "-NOPROTO unsupported protocol version\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "SETNAME", "a b"]), "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "SETNAME", "ok"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "GETNAME"]), "$2\r\nok\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "SETNAME", ""]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "GETNAME"]), "$-1\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "SETNAME", "a", "b"]), "-ERR wrong number of arguments for 'client|setname' command\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "1", "2", "3"]), "-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "9999"]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "9999", "foo"]), "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "x", "foo"]), "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "UNBLOCK", "9999", "error"]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "x"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "id"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "id", "x"]), "-ERR Invalid client ID\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "id", "9999"]), "$0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "TYPE", "foo"]), "-ERR Unknown client type 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "TYPE", "master"]), "$0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "LIST", "TYPE", "replica"]), "$0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "1.1.1.1:1"]), "-ERR No such client\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "id", "x"]), "-ERR client-id should be greater than 0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "id", "0"]), "-ERR client-id should be greater than 0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "user", "foo"]), "-ERR No such user 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "type", "foo"]), "-ERR Unknown client type 'foo'\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "skipme", "maybe"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "id", "99"]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "foo", "bar"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "id", "99", "skipme"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "type", "master"]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "KILL", "user", "default", "skipme", "yes", "id", "9999"]), ":0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "NO-EVICT", "maybe"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "NO-EVICT", "on"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "NO-EVICT", "off"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "GETREDIR"]), ":-1\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "TRACKINGINFO"]), "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "HELP"]), "*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n+    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.\r\n+GETREDIR\r\n+    Return the client ID we are redirecting to when tracking is enabled.\r\n+GETNAME\r\n+    Return the name of the current connection.\r\n+ID\r\n+    Return the ID of the current connection.\r\n+INFO\r\n+    Return information about the current client connection.\r\n+KILL <ip:port>\r\n+    Kill connection made from <ip:port>.\r\n+KILL <option> <value> [<option> <value> [...]]\r\n+    Kill connections. Options are:\r\n+    * ADDR (<ip:port>|<unixsocket>:0)\r\n+      Kill connections made from the specified address\r\n+    * LADDR (<ip:port>|<unixsocket>:0)\r\n+      Kill connections made to specified local address\r\n+    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)\r\n+      Kill connections by type.\r\n+    * USER <username>\r\n+      Kill connections authenticated by <username>.\r\n+    * SKIPME (YES|NO)\r\n+      Skip killing current connection (default: yes).\r\n+LIST [options ...]\r\n+    Return information about client connections. Options:\r\n+    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)\r\n+      Return clients of specified type.\r\n+UNPAUSE\r\n+    Stop the current client pause, resuming traffic.\r\n+PAUSE <timeout> [WRITE|ALL]\r\n+    Suspend all, or just write, clients for <timeout> milliseconds.\r\n+REPLY (ON|OFF|SKIP)\r\n+    Control the replies sent to the current connection.\r\n+SETNAME <name>\r\n+    Assign the name <name> to the current connection.\r\n+UNBLOCK <clientid> [TIMEOUT|ERROR]\r\n+    Unblock the specified blocked client.\r\n+TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]\r\n+         [OPTIN] [OPTOUT] [NOLOOP]\r\n+    Control server assisted client side caching.\r\n+TRACKINGINFO\r\n+    Report tracking status for the current connection.\r\n+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "HELP", "x"]), "-ERR wrong number of arguments for 'client|help' command\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "FOO"]), "-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT"]), "-ERR wrong number of arguments for 'client' command\r\n");
    assert_eq!(r(&mut e, c, &["RESET"]), "+RESET\r\n");
    assert_eq!(r(&mut e, c, &["RESET", "x"]), "-ERR wrong number of arguments for 'reset' command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "INFO", "nope", "get"]), "*2\r\n$-1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "INFO", "config|get|x"]), "*1\r\n$-1\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "INFO", "CONFIG|GET"]), "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "COUNT", "x"]), "-ERR wrong number of arguments for 'command|count' command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "DOCS", "nope"]), "*0\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "SET", "a", "b"]), "*1\r\n$1\r\na\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "GET"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "PING"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "nope"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "config", "get"]), "-ERR The command has no key arguments\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "config", "foo"]), "-ERR Invalid command specified\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "get", "k"]), "*1\r\n$1\r\nk\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "get", "k", "v"]), "-ERR Invalid number of arguments specified for command\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"]), "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYSANDFLAGS", "get", "k"]), "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "LIST", "FILTERBY", "aclcat", "foo"]), "*0\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "LIST", "x"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "LIST", "FILTERBY", "pattern"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "LIST", "FILTERBY", "module", "x"]), "*0\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "HELP"]), "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n+    Return details about all Redis commands.\r\n+COUNT\r\n+    Return the total number of commands in this Redis server.\r\n+LIST\r\n+    Return a list of all commands in this Redis server.\r\n+INFO [<command-name> ...]\r\n+    Return details about multiple Redis commands.\r\n+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n+    Return documentation details about multiple Redis commands.\r\n+    If no command names are given, documentation details for all\r\n+    commands are returned.\r\n+GETKEYS <full-command>\r\n+    Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n+    Return the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "FOO"]), "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "nokey"]), "$-1\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "foo", "SAMPLES"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "foo", "SAMPLES", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "foo", "SAMPLES", "-1"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "foo", "bar"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "FOO"]), "-ERR unknown subcommand 'FOO'. Try MEMORY HELP.\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "HELP"]), "*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n+    Return memory problems reports.\r\n+MALLOC-STATS\r\n+    Return internal statistics report from the memory allocator.\r\n+PURGE\r\n+    Attempt to purge dirty pages for reclamation by the allocator.\r\n+STATS\r\n+    Return information about the memory usage of the server.\r\n+USAGE <key> [SAMPLES <count>]\r\n+    Return memory in bytes used by <key> and its value. Nested values are\r\n+    sampled up to <count> times (default: 5, 0 means sample all).\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "DOCTOR"]), "$268\r\nHi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "PURGE"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE"]), "-ERR wrong number of arguments for 'memory|usage' command\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "foo"]), "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "sleep"]), "-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "sleep", "x"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "sleep", "0.01"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "set-active-expire", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "set-active-expire", "1"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG"]), "-ERR wrong number of arguments for 'debug' command\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "sleep", "1", "2"]), "-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n");
    assert_eq!(r(&mut e, c, &["DEBUG", "HELP", "x"]), "-ERR unknown subcommand or wrong number of arguments for 'HELP'. Try DEBUG HELP.\r\n");
    assert_eq!(r(&mut e, c, &["INFO", "nosuchsection"]), "$0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["INFO", "keyspace"]), "$12\r\n# Keyspace\r\n\r\n");
    assert_eq!(r(&mut e, c, &["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["INFO", "keyspace"]), "$44\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["INFO", "KEYSPACE", "CLUSTER"]), "$76\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n");
}



#[test]
fn pattern_get_lists_aliases_as_their_own_names() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    // Redis lists matches in hash order; redlet in table order.
    assert_eq!(
        r(&mut e, c, &["CONFIG", "GET", "hash-max-*-entries"]),
        "*4\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n"
    );
    // Hidden parameters answer only to their exact name.
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "use-exit-on-panic"]), "*2\r\n$17\r\nuse-exit-on-panic\r\n$2\r\nno\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "use-exit*"]), "*0\r\n");
    let all = r(&mut e, c, &["CONFIG", "GET", "*"]);
    assert!(all.starts_with("*384\r\n"), "{}", &all[..20]);
}

#[test]
fn config_set_reaches_typed_fields() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "allkeys-lru", "hash-max-ziplist-entries", "64"]), "+OK\r\n");
    assert_eq!(e.config().maxmemory, 10 * 1024 * 1024);
    assert_eq!(e.config().maxmemory_policy, redlet::config::MaxmemoryPolicy::AllKeysLru);
    assert_eq!(e.config().hash_max_listpack_entries, 64);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "notify-keyspace-events", "Ex$"]), "+OK\r\n");
    assert_eq!(e.config().notify_keyspace_events, "$xE");
    assert_eq!(e.config().notify_flags(), redlet::config::notify::STRING | redlet::config::notify::EXPIRED | redlet::config::notify::KEYEVENT);
    // A failing pair leaves every parameter of the call untouched.
    assert_eq!(
        r(&mut e, c, &["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-samples", "0"]),
        "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive\r\n"
    );
    assert_eq!(e.config().maxmemory, 10 * 1024 * 1024);
    // hz is capped to 1..=500 like Redis.
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "hz", "0"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "hz"]), "*2\r\n$2\r\nhz\r\n$1\r\n1\r\n");
    assert_eq!(e.config().hz, 1);
    // Host-level parameters are kept and reported.
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "bind", "127.0.0.1 ::1", "port", "7000"]), "+OK\r\n");
    assert_eq!(e.config().get_param("bind").as_deref(), Some("127.0.0.1 ::1"));
    assert_eq!(e.config().get_param("PORT").as_deref(), Some("7000"));
    assert_eq!(e.config().get_param("nope"), None);
}

#[test]
fn set_param_uses_config_file_rules() {
    let mut cfg = Config::default();
    cfg.set_param("databases", "4").unwrap();
    cfg.set_param("dir", "/var/lib/redlet").unwrap();
    cfg.set_param("save", "900 1 300 10").unwrap();
    cfg.set_param("hash-max-ziplist-value", "32").unwrap();
    cfg.set_param("hz", "1000").unwrap();
    cfg.set_param("maxmemory", "1gb").unwrap();
    assert_eq!(cfg.databases, 4);
    assert_eq!(cfg.hash_max_listpack_value, 32);
    assert_eq!(cfg.hz, 500);
    assert_eq!(cfg.maxmemory, 1 << 30);
    assert_eq!(cfg.get_param("save").as_deref(), Some("900 1 300 10"));
    assert_eq!(cfg.get_param("dir").as_deref(), Some("/var/lib/redlet"));
    assert_eq!(cfg.set_param("nope", "1").unwrap_err().to_string(), "ERR Bad directive or wrong number of arguments");
    assert_eq!(cfg.set_param("maxmemory", "lots").unwrap_err().to_string(), "ERR argument must be a memory value");
    let (mut e, _) = engine_with(cfg);
    assert_eq!(e.databases(), 4);
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "databases"]), "*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n");
}

#[test]
fn hello_switches_protocol_and_names_the_client() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(
        r(&mut e, c, &["HELLO", "3", "AUTH", "default", "anything", "SETNAME", "app"]),
        "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
    );
    assert_eq!(e.protocol(c), Protocol::Resp3);
    assert_eq!(r(&mut e, c, &["CLIENT", "GETNAME"]), "$3\r\napp\r\n");
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "maxmemory"]), "%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
    assert_eq!(r(&mut e, c, &["INFO", "cluster"]), "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "INFO", "nope"]), "*1\r\n_\r\n");
    assert_eq!(r(&mut e, c, &["CLIENT", "TRACKINGINFO"]), "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n");
    // No protocol version: the reply is in the current protocol.
    assert!(r(&mut e, c, &["HELLO"]).starts_with("%7\r\n"));
    // SETNAME applies even when a later option fails, like Redis.
    assert_eq!(r(&mut e, c, &["HELLO", "2", "SETNAME", "x", "BOGUS"]), "-ERR Syntax error in HELLO option 'BOGUS'\r\n");
    assert_eq!(e.protocol(c), Protocol::Resp3);
    assert_eq!(r(&mut e, c, &["CLIENT", "GETNAME"]), "$1\r\nx\r\n");
    // RESET goes back to RESP2 and forgets the name.
    assert_eq!(r(&mut e, c, &["RESET"]), "+RESET\r\n");
    assert_eq!(e.protocol(c), Protocol::Resp2);
    assert_eq!(r(&mut e, c, &["CLIENT", "GETNAME"]), "$-1\r\n");
}

#[test]
fn hello_auth_checks_requirepass() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "requirepass", "secret"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "2", "AUTH", "default", "wrong"]), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assert!(r(&mut e, c, &["HELLO", "2", "AUTH", "default", "secret"]).starts_with("*14\r\n"));
    assert_eq!(r(&mut e, c, &["CONFIG", "GET", "requirepass"]), "*2\r\n$11\r\nrequirepass\r\n$6\r\nsecret\r\n");
}

#[test]
fn ping_quit_time() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(r(&mut e, c, &["PING"]), "+PONG\r\n");
    assert!(!e.should_close(c));
    assert_eq!(r(&mut e, c, &["QUIT", "ignored"]), "+OK\r\n");
    assert!(e.should_close(c));
    let d = client(&mut e);
    clock.set_ms(1_700_000_123_456);
    assert_eq!(r(&mut e, d, &["TIME"]), "*2\r\n$10\r\n1700000123\r\n$6\r\n456000\r\n");
}

fn addr_client(e: &mut redlet::Engine, port: u16) -> redlet::ClientId {
    e.open_client(ClientInfo { addr: format!("127.0.0.1:{}", port), laddr: "127.0.0.1:6379".into(), fd: port as i64 % 100 })
}

#[test]
fn client_list_and_info_format() {
    let (mut e, clock) = engine();
    let a = addr_client(&mut e, 5001);
    let b = addr_client(&mut e, 5002);
    assert_eq!(r(&mut e, b, &["CLIENT", "SETNAME", "worker"]), "+OK\r\n");
    clock.advance_ms(3000);
    assert_eq!(r(&mut e, a, &["CLIENT", "NO-EVICT", "on"]), "+OK\r\n");
    let line = |id: u64, port: u16, fd: u16, name: &str, age: u64, idle: u64, flags: &str, cmd: &str| {
        format!(
            "id={id} addr=127.0.0.1:{port} laddr=127.0.0.1:6379 fd={fd} name={name} age={age} idle={idle} flags={flags} db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={cmd} user=default redir=-1 resp=2\n"
        )
    };
    let la = line(1, 5001, 1, "", 3, 0, "e", "client|list");
    let lb = line(2, 5002, 2, "worker", 3, 3, "N", "client|setname");
    let text = format!("{la}{lb}");
    assert_eq!(r(&mut e, a, &["CLIENT", "LIST"]), format!("${}\r\n{}\r\n", text.len(), text));
    let text = lb.clone();
    assert_eq!(r(&mut e, a, &["CLIENT", "LIST", "ID", "2", "99"]), format!("${}\r\n{}\r\n", text.len(), text));
    assert_eq!(r(&mut e, a, &["CLIENT", "LIST", "TYPE", "pubsub"]), "$0\r\n\r\n");
    let mine = line(1, 5001, 1, "", 3, 0, "e", "client|info");
    assert_eq!(r(&mut e, a, &["CLIENT", "INFO"]), format!("${}\r\n{}\r\n", mine.len(), mine));
    assert_eq!(r(&mut e, a, &["CLIENT", "ID"]), ":1\r\n");
    assert_eq!(r(&mut e, b, &["CLIENT", "ID"]), ":2\r\n");
    // The internal client is not a connection.
    let i = info(&mut e, a, "clients");
    assert_eq!(field(&i, "connected_clients"), "2");
    assert_eq!(field(&i, "blocked_clients"), "0");
}

#[test]
fn client_kill_filters_and_closes() {
    let (mut e, _) = engine();
    let a = addr_client(&mut e, 5001);
    let b = addr_client(&mut e, 5002);
    let c = addr_client(&mut e, 5003);
    e.take_woken();
    assert_eq!(r(&mut e, a, &["CLIENT", "KILL", "127.0.0.1:5002"]), "+OK\r\n");
    assert!(e.should_close(b));
    assert_eq!(e.take_woken(), vec![b]);
    assert_eq!(r(&mut e, a, &["CLIENT", "KILL", "127.0.0.1:5002"]), "-ERR No such client\r\n");
    // New form: skips the caller unless SKIPME no.
    assert_eq!(r(&mut e, a, &["CLIENT", "KILL", "LADDR", "127.0.0.1:6379"]), ":1\r\n");
    assert!(e.should_close(c));
    assert!(!e.should_close(a));
    assert_eq!(r(&mut e, a, &["CLIENT", "KILL", "ID", "1", "SKIPME", "no"]), ":1\r\n");
    assert!(e.should_close(a));
    let d = addr_client(&mut e, 5004);
    assert_eq!(r(&mut e, d, &["CLIENT", "KILL", "TYPE", "normal", "USER", "default"]), ":0\r\n");
    assert_eq!(r(&mut e, d, &["CLIENT", "KILL", "127.0.0.1:5004"]), "+OK\r\n");
    assert!(e.should_close(d));
}

#[test]
fn info_sections_and_stats() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    let all = info(&mut e, c, "everything");
    let heads: Vec<&str> = all.split("\r\n").filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        heads,
        [
            "# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Commandstats", "# Errorstats",
            "# Latencystats", "# Cluster", "# Keyspace"
        ]
    );
    let default: Vec<String> = info(&mut e, c, "default").split("\r\n").filter(|l| l.starts_with('#')).map(String::from).collect();
    assert_eq!(
        default,
        ["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace"]
    );
    assert_eq!(info(&mut e, c, "nosuchsection"), "");
    assert_eq!(r(&mut e, c, &["INFO", "CLUSTER", "keyspace"]), "$44\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n\r\n");

    let s = info(&mut e, c, "server");
    assert_eq!(field(&s, "redis_version"), "7.0.15");
    assert_eq!(field(&s, "redis_mode"), "standalone");
    assert_eq!(field(&s, "hz"), "10");
    assert_eq!(field(&s, "run_id").len(), 40);
    assert_eq!(field(&s, "uptime_in_seconds"), "0");
    clock.advance_ms(90_000);
    let s = info(&mut e, c, "server");
    assert_eq!(field(&s, "uptime_in_seconds"), "90");
    assert_eq!(field(&s, "server_time_usec"), "1090000000");

    assert_eq!(r(&mut e, c, &["SET", "a", "1"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["SET", "b", "22", "PX", "5000"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["GET", "a"]), "$1\r\n1\r\n");
    assert_eq!(r(&mut e, c, &["GET", "zz"]), "$-1\r\n");
    assert_eq!(r(&mut e, c, &["NOPE"]), "-ERR unknown command 'NOPE', with args beginning with: \r\n");
    assert_eq!(r(&mut e, c, &["GET"]), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(r(&mut e, c, &["HELLO", "9"]), "-NOPROTO unsupported protocol version\r\n");
    clock.advance_ms(1000);
    let k = info(&mut e, c, "keyspace");
    assert_eq!(k, "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=4000\r\n");
    let st = info(&mut e, c, "stats");
    assert_eq!(field(&st, "keyspace_hits"), "1");
    assert_eq!(field(&st, "keyspace_misses"), "1");
    assert_eq!(field(&st, "total_error_replies"), "3");
    assert_eq!(field(&st, "total_connections_received"), "1");
    let cs = info(&mut e, c, "commandstats");
    assert!(cs.contains("cmdstat_get:calls=2,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n"), "{}", cs);
    assert!(cs.contains("cmdstat_hello:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=1\r\n"), "{}", cs);
    assert!(cs.contains("cmdstat_set:calls=2,"), "{}", cs);
    assert_eq!(info(&mut e, c, "errorstats"), "# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_NOPROTO:count=1\r\n");

    clock.advance_ms(5000);
    assert_eq!(r(&mut e, c, &["GET", "b"]), "$-1\r\n");
    assert_eq!(field(&info(&mut e, c, "stats"), "expired_keys"), "1");
    assert_eq!(r(&mut e, c, &["CONFIG", "RESETSTAT"]), "+OK\r\n");
    let st = info(&mut e, c, "stats");
    assert_eq!(field(&st, "expired_keys"), "0");
    assert_eq!(field(&st, "total_error_replies"), "0");
    assert_eq!(field(&st, "keyspace_misses"), "0");
    assert_eq!(info(&mut e, c, "errorstats"), "# Errorstats\r\n");
    // Like Redis, RESETSTAT itself and later commands count again.
    assert_eq!(
        info(&mut e, c, "commandstats"),
        "# Commandstats\r\ncmdstat_info:calls=2,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\ncmdstat_config|resetstat:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,failed_calls=0\r\n"
    );
    let p = info(&mut e, c, "persistence");
    assert_eq!(field(&p, "rdb_changes_since_last_save"), "2");
}

#[test]
fn memory_is_deterministic() {
    use redlet::info::{BASELINE, KEY_OVERHEAD};
    let (mut e, _) = engine();
    let c = client(&mut e);
    let m = info(&mut e, c, "memory");
    let base = e.used_memory();
    assert_eq!(base, BASELINE);
    assert_eq!(field(&m, "used_memory"), BASELINE.to_string());
    assert_eq!(field(&m, "used_memory_human"), "64.00K");
    assert_eq!(field(&m, "maxmemory_policy"), "noeviction");
    assert_eq!(r(&mut e, c, &["SET", "key", "hello"]), "+OK\r\n");
    assert_eq!(r(&mut e, c, &["SET", "n", "12345", "PX", "100000"]), "+OK\r\n");
    // The slot and index share per key, plus heap: "hello" is 5 bytes, the
    // integer and both short key names cost none.
    let (k, n) = (KEY_OVERHEAD + 5, KEY_OVERHEAD);
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "key"]), format!(":{}\r\n", k));
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "key", "SAMPLES", "0"]), format!(":{}\r\n", k));
    assert_eq!(r(&mut e, c, &["MEMORY", "USAGE", "n"]), format!(":{}\r\n", n));
    assert_eq!(e.memory_usage(0, b"n"), Some(n));
    let used = e.used_memory();
    assert!(used > base + 5, "{}", used);
    assert_eq!(r(&mut e, c, &["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "allkeys-lru"]), "+OK\r\n");
    let m = info(&mut e, c, "memory");
    assert_eq!(field(&m, "used_memory"), used.to_string());
    assert_eq!(field(&m, "used_memory_dataset"), "5");
    assert_eq!(field(&m, "maxmemory"), "1048576");
    assert_eq!(field(&m, "maxmemory_human"), "1.00M");
    assert_eq!(field(&m, "maxmemory_policy"), "allkeys-lru");
    assert!(r(&mut e, c, &["MEMORY", "STATS"]).contains("$10\r\nkeys.count\r\n:2\r\n"));
}

#[test]
fn debug_sleep_and_active_expire() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    let t0 = clock.now_micros();
    assert_eq!(r(&mut e, c, &["DEBUG", "SLEEP", "1.5"]), "+OK\r\n");
    assert_eq!(clock.now_micros() - t0, 1_500_000);
    assert_eq!(r(&mut e, c, &["DEBUG", "SLEEP", "0"]), "+OK\r\n");
    assert_eq!(clock.now_micros() - t0, 1_500_000);
    assert_eq!(r(&mut e, c, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
    assert!(!e.config().active_expire_enabled);
    assert_eq!(r(&mut e, c, &["DEBUG", "SET-ACTIVE-EXPIRE", "1"]), "+OK\r\n");
    assert!(e.config().active_expire_enabled);
    assert_eq!(
        r(&mut e, c, &["DEBUG", "RELOAD"]),
        "-ERR unknown subcommand or wrong number of arguments for 'RELOAD'. Try DEBUG HELP.\r\n"
    );
    // Remote clients need enable-debug-command yes.
    let remote = e.open_client(ClientInfo { addr: "10.0.0.7:4000".into(), ..Default::default() });
    assert!(r(&mut e, remote, &["DEBUG", "SLEEP", "0"]).starts_with("-ERR DEBUG command not allowed."));
    let mut cfg = Config::default();
    cfg.set_param("enable-debug-command", "no").unwrap();
    let (mut e2, _) = engine_with(cfg);
    let c2 = client(&mut e2);
    assert_eq!(
        r(&mut e2, c2, &["DEBUG", "SLEEP", "0"]),
        "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"
    );
}

#[test]
fn command_introspection() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(
        r(&mut e, c, &["COMMAND", "INFO", "get", "config|get"]),
        "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"
    );
    assert_eq!(
        r(&mut e, c, &["COMMAND", "INFO", "ping"]),
        "*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*2\r\n$25\r\nrequest_policy:all_shards\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n"
    );
    let count = match e.execute(c, &[b"COMMAND", b"COUNT"]) {
        Some(Reply::Int(n)) => n,
        other => panic!("{:?}", other),
    };
    match e.execute(c, &[b"COMMAND"]) {
        Some(Reply::Array(v)) => assert_eq!(v.len() as i64, count),
        other => panic!("{:?}", other),
    }
    match e.execute(c, &[b"COMMAND", b"LIST"]) {
        Some(Reply::Array(v)) => assert!(v.contains(&Reply::bulk(b"client|kill")) && v.contains(&Reply::bulk(b"get"))),
        other => panic!("{:?}", other),
    }
    assert_eq!(
        r(&mut e, c, &["COMMAND", "DOCS", "config|get"]),
        "*2\r\n$10\r\nconfig|get\r\n*10\r\n$7\r\nsummary\r\n$42\r\nGet the values of configuration parameters\r\n$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$62\r\nO(N) when N is the number of configuration parameters provided\r\n$7\r\nhistory\r\n*1\r\n*2\r\n$5\r\n7.0.0\r\n$65\r\nAdded the ability to pass multiple pattern parameters in one call\r\n"
    );
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYS", "SET", "a", "b"]), "*1\r\n$1\r\na\r\n");
    assert_eq!(r(&mut e, c, &["COMMAND", "GETKEYSANDFLAGS", "SET", "a", "b", "GET"]), "*1\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n");
}

/// Found by the differential harness: SORT's keys come from Redis's
/// sortGetKeys (the sort key and the last STORE target), any key bytes.
#[test]
fn command_getkeys_sort() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "COMMAND GETKEYS SORT a"), "*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "COMMAND GETKEYS SORT a LIMIT 0 1 STORE b GET c STORE d"), "*2\r\n$1\r\na\r\n$1\r\nd\r\n");
    let argv: [&[u8]; 4] = [b"COMMAND", b"GETKEYS", b"SORT", b"a\x00b\r\n"];
    assert_eq!(e.execute(c, &argv), Some(redlet::Reply::Array(vec![redlet::Reply::bulk(b"a\x00b\r\n")])));
}
