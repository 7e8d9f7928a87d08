mod common;
use common::*;
#[test]
fn scratch() {
    let (mut e, clock) = engine();
    let a = client(&mut e);
    let b = client(&mut e);
    for (c, l) in [(b, "SET e v PX 1000"), (a, "WATCH e")] { println!("{l} {:?}", resp(&mut e, c, l)); }
    clock.advance_ms(1500);
    for (c, l) in [(b, "GET e"), (a, "CLIENT INFO"), (a, "MULTI"), (a, "EXEC")] { println!("{l} {:?}", resp(&mut e, c, l)); }
}
