mod common;
use common::*;
#[path = "data/replay.rs"]
mod replay;
#[test]
fn dbg() {
    let lines = std::fs::read_to_string("/tmp/part.txt").unwrap();
    let (mut e, _c) = engine();
    let c = client(&mut e);
    for l in lines.lines() {
        let argv: Vec<&[u8]> = l.split(' ').map(|s| s.as_bytes()).collect();
        let r = e.execute(c, &argv).unwrap().to_resp(redlet::Protocol::Resp2);
        if l.starts_with("PFDEBUG DECODE") || l == "GET h5" { std::fs::write("/tmp/dbg/last", &r).unwrap(); }
    }
    let r = run(&mut e, c, "GET h5");
    let v = match r { redlet::Reply::Bulk(b) => b, _ => panic!() };
    let mut max = Box::new([0u8; 16384]);
    eprintln!("enc={} len={}", v[4], v.len());
    eprintln!("valid={} merge={:?} count={:?}", redlet::hll::is_valid(&v), redlet::hll::merge_into(&mut max, &v), redlet::hll::count(&v));
    eprintln!("{}", resp(&mut e, c, "PFCOUNT h5 h6"));
}
