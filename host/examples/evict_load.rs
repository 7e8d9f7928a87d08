//! Load generator for the eviction-quality benchmark (bench/evict.sh): a
//! Zipf-distributed GET-then-SET-on-miss trace against a RESP server, as a
//! cache in front of a slower store would issue it. Prints the hit ratio.
//!
//! ```text
//! evict_load --port 6379 [--keys 100000] [--requests 1000000] [--warmup 200000]
//!            [--size 1024] [--zipf 0.99] [--seed 1]
//! ```
//!
//! Every request is `GET key`; on a miss it is followed by `SET key <size
//! bytes>`. Requests are sent one at a time (the decision to SET depends on
//! the GET's reply), so the trace is the same against any server. The hit
//! ratio is counted after `--warmup` requests, when the cache is full.
//! Keys are `key:<rank>`, rank drawn from Zipf(s) over `--keys` ranks with a
//! seeded xorshift generator, so both servers see the same trace.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

struct Args {
    port: u16,
    keys: usize,
    requests: u64,
    warmup: u64,
    size: usize,
    zipf: f64,
    seed: u64,
}

fn parse() -> Args {
    let mut a = Args { port: 6379, keys: 100_000, requests: 1_000_000, warmup: 200_000, size: 1024, zipf: 0.99, seed: 1 };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i + 1 < argv.len() {
        let v = &argv[i + 1];
        let bad = || -> ! {
            eprintln!("bad value {v} for {}", argv[i]);
            std::process::exit(2)
        };
        match argv[i].as_str() {
            "--port" => a.port = v.parse().unwrap_or_else(|_| bad()),
            "--keys" => a.keys = v.parse().unwrap_or_else(|_| bad()),
            "--requests" => a.requests = v.parse().unwrap_or_else(|_| bad()),
            "--warmup" => a.warmup = v.parse().unwrap_or_else(|_| bad()),
            "--size" => a.size = v.parse().unwrap_or_else(|_| bad()),
            "--zipf" => a.zipf = v.parse().unwrap_or_else(|_| bad()),
            "--seed" => a.seed = v.parse().unwrap_or_else(|_| bad()),
            other => {
                eprintln!("unknown option {other}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    a
}

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Inverse-CDF sampler of Zipf(s) over ranks 0..n.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut cdf = Vec::with_capacity(n);
        let mut sum = 0.0;
        for k in 1..=n {
            sum += 1.0 / (k as f64).powf(s);
            cdf.push(sum);
        }
        for c in &mut cdf {
            *c /= sum;
        }
        Zipf { cdf }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

/// Reads one reply; returns true for a non-nil bulk string (a hit).
fn read_reply(r: &mut BufReader<TcpStream>, line: &mut String) -> std::io::Result<bool> {
    line.clear();
    r.read_line(line)?;
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(b'$') => {
            let n: i64 = line[1..].trim().parse().unwrap_or(-1);
            if n < 0 {
                return Ok(false);
            }
            let mut buf = vec![0u8; n as usize + 2];
            r.read_exact(&mut buf)?;
            Ok(true)
        }
        Some(b'+') | Some(b':') => Ok(true),
        Some(b'-') => Err(std::io::Error::other(format!("server error: {}", line.trim()))),
        _ => Err(std::io::Error::other(format!("unexpected reply: {:?}", line))),
    }
}

fn main() -> std::io::Result<()> {
    let a = parse();
    let zipf = Zipf::new(a.keys, a.zipf);
    let mut rng = Rng(a.seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let stream = TcpStream::connect(("127.0.0.1", a.port))?;
    stream.set_nodelay(true)?;
    let mut w = stream.try_clone()?;
    let mut r = BufReader::new(stream);
    let value = vec![b'x'; a.size];
    let mut line = String::new();
    let (mut hits, mut gets) = (0u64, 0u64);
    let (mut all_hits, mut all_gets) = (0u64, 0u64);
    let mut out = Vec::with_capacity(a.size + 64);
    for i in 0..a.requests {
        let key = format!("key:{}", zipf.sample(&mut rng));
        out.clear();
        write!(out, "*2\r\n$3\r\nGET\r\n${}\r\n{}\r\n", key.len(), key)?;
        w.write_all(&out)?;
        let hit = read_reply(&mut r, &mut line)?;
        all_gets += 1;
        all_hits += hit as u64;
        if i >= a.warmup {
            gets += 1;
            hits += hit as u64;
        }
        if !hit {
            out.clear();
            write!(out, "*3\r\n$3\r\nSET\r\n${}\r\n{}\r\n${}\r\n", key.len(), key, value.len())?;
            out.extend_from_slice(&value);
            out.extend_from_slice(b"\r\n");
            w.write_all(&out)?;
            read_reply(&mut r, &mut line)?;
        }
    }
    let ratio = if gets == 0 { 0.0 } else { hits as f64 / gets as f64 };
    println!("hit_ratio {:.4} hits {} gets {} (all: {:.4})", ratio, hits, gets, all_hits as f64 / all_gets.max(1) as f64);
    Ok(())
}
