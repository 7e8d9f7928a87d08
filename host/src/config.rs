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
    /// `dir` was set (command line or config file): the dataset is loaded
    /// from it at start and persisted there. Without it nothing is saved.
    pub persist: bool,
    /// Absolute path of the config file, if one was given.
    pub config_file: Option<PathBuf>,
    /// Every directive applied to [`Settings::config`], in order, as
    /// (name, value): a host whose engine is elsewhere (a component's
    /// `database.open`) replays them to get the same configuration.
    pub directives: Vec<(String, String)>,
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
        persist: false,
        config_file,
        directives: Vec::new(),
    };
    // The host's defaults differ from Redis's (bind 127.0.0.1, dir = the
    // current folder); they go through the engine config like any value.
    set_engine_param(&mut s.config, "bind", "127.0.0.1")?;
    s.directives.push(("bind".into(), "127.0.0.1".into()));
    for d in &directives {
        apply(&mut s, &d.name, &d.args).map_err(|why| {
            format!("Reading the configuration file, at line {}\n>>> '{}'\n{}", d.line, d.origin, why)
        })?;
    }
    let dir = std::path::absolute(&s.dir).unwrap_or_else(|_| s.dir.clone());
    set_engine_param(&mut s.config, "dir", &dir.display().to_string())?;
    s.directives.push(("dir".into(), dir.display().to_string()));
    s.dir = dir;
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
/// go to the engine configuration. Host settings are recorded there too, so
/// `CONFIG GET port` and friends report them.
fn apply(s: &mut Settings, name: &str, args: &[String]) -> Result<(), String> {
    let value = args.join(" ");
    // The engine validates first, so errors carry Redis's texts.
    set_engine_param(&mut s.config, name, &value)?;
    s.directives.push((name.to_string(), value.clone()));
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
            s.persist = true;
        }
        _ => {}
    }
    Ok(())
}

fn one_arg(args: &[String]) -> Result<&str, String> {
    match args {
        [a] => Ok(a),
        _ => Err("wrong number of arguments".into()),
    }
}

/// Hands a directive to the engine configuration ([`Config::set_param`]:
/// Redis's validation, aliases, units and error texts).
fn set_engine_param(cfg: &mut Config, name: &str, value: &str) -> Result<(), String> {
    cfg.set_param(name, value).map_err(|e| {
        let text = e.to_string();
        text.strip_prefix("ERR ").map(str::to_string).unwrap_or(text)
    })
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
        assert_eq!(s.config.get_param("save").as_deref(), Some(""));
        assert_eq!(s.config.get_param("port").as_deref(), Some("7000"));
        assert_eq!(s.config.get_param("bind").as_deref(), Some("127.0.0.1 -::1"));
        let s = from_args(&args(&["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"])).unwrap();
        assert_eq!(s.config.maxmemory, 2 << 20);
        assert_eq!(s.config.get_param("bind").as_deref(), Some("127.0.0.1"));
        assert!(!s.persist);
        let s = from_args(&args(&["--dir", "/tmp/x", "--appendonly", "yes", "--appendfsync", "always", "--save", "60 1000", "--maxmemory-policy", "allkeys-lfu"]))
            .unwrap();
        assert!(s.persist);
        assert_eq!(s.config.get_param("appendonly").as_deref(), Some("yes"));
        assert_eq!(s.config.get_param("appendfsync").as_deref(), Some("always"));
        assert_eq!(s.config.get_param("save").as_deref(), Some("60 1000"));
        let s = from_args(&args(&["--save", "60", "1000", "10", "5"])).unwrap();
        assert_eq!(s.config.get_param("save").as_deref(), Some("60 1000 10 5"));
        let err = |a: &[&str]| from_args(&args(a)).unwrap_err();
        assert!(err(&["--port", "70000"]).ends_with("argument must be between 0 and 65535 inclusive"), "{}", err(&["--port", "70000"]));
        assert!(err(&["--nosuch", "1"]).ends_with("Bad directive or wrong number of arguments"));
        assert!(from_args(&args(&["port", "1"])).is_err());
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
