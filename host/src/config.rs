//! Startup configuration: the config file and `--directive value` arguments,
//! read the way `redis-server` reads them, applied to the engine's
//! [`Config`] plus the few settings only the host uses (`bind`, `port`,
//! `dir`).

use std::path::PathBuf;

use redlet::Config;

/// Everything the server needs to start.
#[derive(Debug)]
pub struct Settings {
    /// The engine configuration.
    pub config: Config,
    /// Addresses to listen on; a leading `-` means "skip if unavailable".
    pub bind: Vec<String>,
    /// TCP port; 0 picks a free one.
    pub port: u16,
    /// Data folder (created if missing; the server runs inside it).
    pub dir: PathBuf,
    /// Absolute path of the config file, if one was given.
    pub config_file: Option<PathBuf>,
}

/// One directive: its name (lowercase), arguments, and where it came from
/// for error messages.
struct Directive {
    name: String,
    args: Vec<String>,
    origin: String,
    line: usize,
}

/// Reads `[config-file] [--name value...]...` into [`Settings`]. Errors are
/// the text to print after Redis's `FATAL CONFIG FILE ERROR` banner.
pub fn from_args(args: &[String]) -> Result<Settings, String> {
    let mut directives = Vec::new();
    let mut rest = args;
    let mut config_file = None;
    if let Some(first) = args.first() {
        if !first.starts_with("--") {
            let path = PathBuf::from(first);
            let text = std::fs::read(&path).map_err(|e| format!("Fatal error, can't open config file '{first}': {e}"))?;
            read_file(&text, &mut directives)?;
            config_file = Some(std::path::absolute(&path).unwrap_or(path));
            rest = &args[1..];
        }
    }
    read_args(rest, &mut directives)?;
    let mut s = Settings {
        config: Config::default(),
        bind: vec!["127.0.0.1".into()],
        port: 6379,
        dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        config_file,
    };
    for d in &directives {
        apply(&mut s, &d.name, &d.args).map_err(|why| {
            format!("Reading the configuration file, at line {}\n>>> '{}'\n{}", d.line, d.origin, why)
        })?;
    }
    Ok(s)
}

fn read_file(text: &[u8], out: &mut Vec<Directive>) -> Result<(), String> {
    for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line = raw.trim_ascii();
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let origin = String::from_utf8_lossy(line).into_owned();
        let bad = |why: &str| format!("Reading the configuration file, at line {}\n>>> '{}'\n{}", i + 1, origin, why);
        let words = redlet::resp::split_args(line).ok_or_else(|| bad("Unbalanced quotes in configuration line"))?;
        let mut words = words.into_iter().map(|w| String::from_utf8(w).map_err(|_| bad("Invalid UTF-8 in configuration line")));
        let Some(name) = words.next().transpose()? else { continue };
        let args = words.collect::<Result<Vec<_>, _>>()?;
        out.push(Directive { name: name.to_ascii_lowercase(), args, origin, line: i + 1 });
    }
    Ok(())
}

fn read_args(args: &[String], out: &mut Vec<Directive>) -> Result<(), String> {
    let mut i = 0;
    while i < args.len() {
        let Some(name) = args[i].strip_prefix("--").filter(|n| !n.is_empty()) else {
            return Err(format!("Invalid argument '{}': expected --<directive>", args[i]));
        };
        let mut j = i + 1;
        // Every `--x` starts a new directive, so values cannot begin with "--".
        while j < args.len() && !args[j].starts_with("--") {
            j += 1;
        }
        let vals = args[i + 1..j].to_vec();
        let origin = std::iter::once(name.to_string()).chain(vals.iter().map(|v| format!("\"{v}\""))).collect::<Vec<_>>().join(" ");
        out.push(Directive { name: name.to_ascii_lowercase(), args: vals, origin, line: 0 });
        i = j;
    }
    Ok(())
}

/// Applies one directive. `bind`, `port` and `dir` are the host's; the rest
/// go to the engine configuration. Host settings are also recorded in
/// `Config::extra` so `CONFIG GET port` and friends can report them.
fn apply(s: &mut Settings, name: &str, args: &[String]) -> Result<(), String> {
    let value = args.join(" ");
    match name {
        "bind" => {
            if args.is_empty() {
                return Err("wrong number of arguments".into());
            }
            s.bind = args.iter().flat_map(|a| a.split_whitespace()).map(String::from).collect();
        }
        "port" => {
            s.port = one_arg(args)?.parse::<u16>().map_err(|_| "argument must be between 0 and 65535 inclusive".to_string())?;
        }
        "dir" => {
            s.dir = PathBuf::from(one_arg(args)?);
        }
        _ => {}
    }
    set_engine_param(&mut s.config, name, &value)
}

fn one_arg(args: &[String]) -> Result<&str, String> {
    match args {
        [a] => Ok(a),
        _ => Err("wrong number of arguments".into()),
    }
}

/// Hands a directive to the engine configuration.
///
/// TODO(config): once `Config::set_param(name, value)` lands in
/// src/config.rs, this whole body becomes `cfg.set_param(name, value)`
/// (mapping its error to text). Until then the host understands the few
/// parameters it needs at start and records every other one verbatim.
fn set_engine_param(cfg: &mut Config, name: &str, value: &str) -> Result<(), String> {
    let int = |lo: i64, hi: i64| -> Result<i64, String> {
        match value.parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(format!("argument must be between {lo} and {hi} inclusive")),
        }
    };
    match name {
        "databases" => cfg.databases = int(1, i32::MAX as i64)? as usize,
        // Redis clamps hz to 1..=500 rather than rejecting.
        "hz" => cfg.hz = int(0, i32::MAX as i64)?.clamp(1, 500) as u32,
        "maxclients" => cfg.maxclients = int(1, u32::MAX as i64)? as u64,
        "timeout" => cfg.timeout = int(0, i32::MAX as i64)? as u64,
        "maxmemory-samples" => cfg.maxmemory_samples = int(1, 64)? as u32,
        "maxmemory" => cfg.maxmemory = parse_memory(value)?,
        "proto-max-bulk-len" => cfg.proto_max_bulk_len = parse_memory(value)?.max(1024 * 1024),
        "maxmemory-policy" => {
            let lower = value.to_ascii_lowercase();
            cfg.maxmemory_policy = redlet::config::MaxmemoryPolicy::ALL
                .iter()
                .find(|(_, n)| *n == lower)
                .map(|(p, _)| *p)
                .ok_or_else(|| "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction".to_string())?;
        }
        _ => {
            let value = if name == "dir" {
                std::path::absolute(value).map(|p| p.display().to_string()).unwrap_or_else(|_| value.to_string())
            } else {
                value.to_string()
            };
            match cfg.extra.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = value,
                None => cfg.extra.push((name.to_string(), value)),
            }
        }
    }
    Ok(())
}

/// Redis's `memtoull`: digits with an optional unit (b, k, kb, m, mb, g, gb;
/// k/m/g are powers of 1000, kb/mb/gb of 1024), any case.
fn parse_memory(v: &str) -> Result<u64, String> {
    let bad = || "argument must be a memory value".to_string();
    let lower = v.to_ascii_lowercase();
    let split = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (num, unit) = lower.split_at(split);
    let mul: u64 = match unit {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return Err(bad()),
    };
    num.parse::<u64>().ok().and_then(|n| n.checked_mul(mul)).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn command_line() {
        let s = from_args(&args(&["--port", "7000", "--bind", "127.0.0.1", "-::1", "--hz", "1000", "--save", ""])).unwrap();
        assert_eq!(s.port, 7000);
        assert_eq!(s.bind, vec!["127.0.0.1", "-::1"]);
        assert_eq!(s.config.hz, 500);
        assert!(s.config.extra.contains(&("save".into(), "".into())));
        assert!(s.config.extra.contains(&("port".into(), "7000".into())));
        assert!(from_args(&args(&["--port", "70000"])).is_err());
        assert!(from_args(&args(&["--databases", "0"])).is_err());
        assert!(from_args(&args(&["port", "1"])).is_err());
    }

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory("100"), Ok(100));
        assert_eq!(parse_memory("1kb"), Ok(1024));
        assert_eq!(parse_memory("2M"), Ok(2_000_000));
        assert_eq!(parse_memory("1gb"), Ok(1 << 30));
        assert!(parse_memory("-1").is_err());
        assert!(parse_memory("1tb").is_err());
    }

    #[test]
    fn config_file() {
        let mut d = Vec::new();
        read_file(b"# comment\n  port 1234\nsave \"\"\n\nbind 1.2.3.4 5.6.7.8\n", &mut d).unwrap();
        let names: Vec<_> = d.iter().map(|d| (d.name.as_str(), d.args.len(), d.line)).collect();
        assert_eq!(names, vec![("port", 1, 2), ("save", 1, 3), ("bind", 2, 5)]);
        assert!(read_file(b"port \"1\n", &mut d).is_err());
    }
}
