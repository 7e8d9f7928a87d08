//! String commands through `execute`.
mod common;
use common::*;

#[test]
fn set_get_roundtrip_and_options() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "SET k w NX"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET k w XX GET"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "SET k w NX XX"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SET k w EX 0"), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(resp(&mut e, c, "SET k w PX 100"), "+OK\r\n");
    clock.advance_ms(99);
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nw\r\n");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GET"), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(resp(&mut e, c, "NOPE a b"), "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    e.set(0, b"a", b"1", Default::default()).unwrap();
    assert_eq!(resp(&mut e, c, "GET a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "SET b 2"), "+OK\r\n");
    assert_eq!(e.get(0, b"b").unwrap(), Some(b"2".to_vec()));
}
