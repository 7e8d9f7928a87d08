//! The lexical analyzer: a port of Lua 5.1.5's llex.c.
//!
//! The scanner reads bytes (`None` past the end, like llex's `EOZ`) and keeps
//! llex's token buffer with the same contents at every step, because error
//! messages quote it: `near '"abc'` shows the raw text of the last token
//! scanned (for a string its opening quote and the escapes already decoded),
//! and after a look-ahead it is the look-ahead's text, exactly as in C.
//! Characters are classified as the C locale does (ASCII only), and numerals
//! are converted as glibc's `strtod` does (decimal and hexadecimal, with
//! `p` exponents) by [`crate::number::str2number`], which is luaO_str2d.
//!
//! Invariants: `line` never decreases; `buff` only grows within one token.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::number::str2number;
use crate::proto::{chunk_id_sized, CompileError};

/// The size of llex's chunk-id buffer (MAXSRC) in syntax error messages.
const MAXSRC: usize = 80;

/// A token kind. Single characters are `Char`; the rest are the reserved
/// words and multi-character symbols of llex.h ("ORDER RESERVED").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tok {
    /// A single-character token such as `+` or `(` (any byte llex does not
    /// otherwise recognise).
    Char(u8),
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    Number,
    Name,
    String,
    Eos,
}

/// Reserved words in "ORDER RESERVED", with their tokens.
const RESERVED: [(&[u8], Tok); 21] = [
    (b"and", Tok::And),
    (b"break", Tok::Break),
    (b"do", Tok::Do),
    (b"else", Tok::Else),
    (b"elseif", Tok::Elseif),
    (b"end", Tok::End),
    (b"false", Tok::False),
    (b"for", Tok::For),
    (b"function", Tok::Function),
    (b"if", Tok::If),
    (b"in", Tok::In),
    (b"local", Tok::Local),
    (b"nil", Tok::Nil),
    (b"not", Tok::Not),
    (b"or", Tok::Or),
    (b"repeat", Tok::Repeat),
    (b"return", Tok::Return),
    (b"then", Tok::Then),
    (b"true", Tok::True),
    (b"until", Tok::Until),
    (b"while", Tok::While),
];

/// The semantic value of a token: a numeral's value or a name's or
/// string's bytes.
#[derive(Clone, Debug, PartialEq)]
pub enum SemInfo {
    /// Tokens without a value.
    None,
    /// A numeral.
    Number(f64),
    /// A name or a string literal.
    Str(Arc<[u8]>),
}

/// A token and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// Its kind.
    pub tok: Tok,
    /// Its value.
    pub sem: SemInfo,
}

impl Token {
    fn eos() -> Token {
        Token { tok: Tok::Eos, sem: SemInfo::None }
    }
}

/// The printable form of a token kind (luaX_token2str): reserved words and
/// symbols as written, `<name>`, `<eof>`..., control characters as
/// `char(N)`, other single bytes as themselves.
pub fn token2str(tok: Tok) -> Vec<u8> {
    let s: &[u8] = match tok {
        Tok::Char(c) => {
            return if c < 32 || c == 127 {
                alloc::format!("char({c})").into_bytes()
            } else {
                alloc::vec![c]
            };
        }
        Tok::Concat => b"..",
        Tok::Dots => b"...",
        Tok::Eq => b"==",
        Tok::Ge => b">=",
        Tok::Le => b"<=",
        Tok::Ne => b"~=",
        Tok::Number => b"<number>",
        Tok::Name => b"<name>",
        Tok::String => b"<string>",
        Tok::Eos => b"<eof>",
        reserved => RESERVED.iter().find(|r| r.1 == reserved).map_or(&b"?"[..], |r| r.0),
    };
    s.to_vec()
}

/// The reserved word `name` is, if any.
fn reserved(name: &[u8]) -> Option<Tok> {
    Some(match name {
        b"and" => Tok::And,
        b"break" => Tok::Break,
        b"do" => Tok::Do,
        b"else" => Tok::Else,
        b"elseif" => Tok::Elseif,
        b"end" => Tok::End,
        b"false" => Tok::False,
        b"for" => Tok::For,
        b"function" => Tok::Function,
        b"if" => Tok::If,
        b"in" => Tok::In,
        b"local" => Tok::Local,
        b"nil" => Tok::Nil,
        b"not" => Tok::Not,
        b"or" => Tok::Or,
        b"repeat" => Tok::Repeat,
        b"return" => Tok::Return,
        b"then" => Tok::Then,
        b"true" => Tok::True,
        b"until" => Tok::Until,
        b"while" => Tok::While,
        _ => return None,
    })
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_alnum_(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The lexer state (llex.h's LexState without the parser's part).
pub struct Lexer<'a> {
    src: &'a [u8],
    /// Index of the byte after `current`.
    pos: usize,
    /// The current byte, `None` at the end of the input.
    current: Option<u8>,
    /// Input line counter.
    pub linenumber: u32,
    /// Line of the last token consumed.
    pub lastline: u32,
    /// The current token.
    pub t: Token,
    /// The look-ahead token (`Eos` when there is none).
    pub lookahead: Token,
    /// Raw text of the token being (or last) scanned.
    buff: Vec<u8>,
    /// The chunk name, for messages.
    source: Arc<[u8]>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src` (luaX_setinput); `source` is the chunk name. The
    /// first token is read by the first [`Lexer::next_token`].
    pub fn new(src: &'a [u8], source: Arc<[u8]>) -> Lexer<'a> {
        let mut ls = Lexer {
            src,
            pos: 0,
            current: None,
            linenumber: 1,
            lastline: 1,
            t: Token::eos(),
            lookahead: Token::eos(),
            buff: Vec::new(),
            source,
        };
        ls.advance();
        ls
    }

    /// The chunk name.
    pub fn source(&self) -> &Arc<[u8]> {
        &self.source
    }

    fn advance(&mut self) {
        self.current = self.src.get(self.pos).copied();
        if self.current.is_some() {
            self.pos += 1;
        }
    }

    fn save(&mut self, c: u8) {
        self.buff.push(c);
    }

    fn save_and_next(&mut self) {
        if let Some(c) = self.current {
            self.save(c);
        }
        self.advance();
    }

    fn cur_is_newline(&self) -> bool {
        matches!(self.current, Some(b'\n' | b'\r'))
    }

    /// Saves and skips the current byte if it is in `set`. As llex's
    /// `strchr(set, current)`, a NUL byte is always "in" the set (it matches
    /// the C string's terminator): `1<NUL>` is one numeral, `.<NUL>` is `..`.
    fn check_next(&mut self, set: &[u8]) -> bool {
        match self.current {
            Some(c) if c == 0 || set.contains(&c) => {
                self.save_and_next();
                true
            }
            _ => false,
        }
    }

    /// A message `chunk:line: msg` (luaX_lexerror without a token).
    pub fn error_at_line(&self, msg: &[u8]) -> CompileError {
        let mut message = chunk_id_sized(&self.source, MAXSRC);
        message.push(b':');
        message.extend_from_slice(alloc::format!("{}", self.linenumber).as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(msg);
        CompileError { message }
    }

    /// luaX_lexerror: `chunk:line: msg near 'token'`; `None` omits the
    /// `near` part.
    pub fn lex_error(&self, msg: &[u8], token: Option<Tok>) -> CompileError {
        let mut e = self.error_at_line(msg);
        // llex tests `if (token)`: a NUL byte token (0) gets no `near` part.
        if let Some(tok) = token.filter(|&t| t != Tok::Char(0)) {
            let text = match tok {
                // txtToken: the buffer, read as a C string.
                Tok::Name | Tok::String | Tok::Number => {
                    let end = self.buff.iter().position(|&c| c == 0).unwrap_or(self.buff.len());
                    self.buff[..end].to_vec()
                }
                other => token2str(other),
            };
            e.message.extend_from_slice(b" near '");
            e.message.extend_from_slice(&text);
            e.message.push(b'\'');
        }
        e
    }

    /// luaX_syntaxerror: an error near the current token.
    pub fn syntax_error(&self, msg: &[u8]) -> CompileError {
        self.lex_error(msg, Some(self.t.tok))
    }

    fn inclinenumber(&mut self) -> Result<(), CompileError> {
        let old = self.current;
        self.advance(); // skip '\n' or '\r'
        if self.cur_is_newline() && self.current != old {
            self.advance(); // skip '\n\r' or '\r\n'
        }
        self.linenumber += 1;
        if self.linenumber >= i32::MAX as u32 {
            return Err(self.syntax_error(b"chunk has too many lines"));
        }
        Ok(())
    }

    /// Reads the next token (luaX_next).
    pub fn next_token(&mut self) -> Result<(), CompileError> {
        self.lastline = self.linenumber;
        if self.lookahead.tok != Tok::Eos {
            self.t = core::mem::replace(&mut self.lookahead, Token::eos());
        } else {
            self.t = self.llex()?;
        }
        Ok(())
    }

    /// Reads the look-ahead token (luaX_lookahead); there must be none yet.
    pub fn peek(&mut self) -> Result<(), CompileError> {
        self.lookahead = self.llex()?;
        Ok(())
    }

    fn read_numeral(&mut self) -> Result<Token, CompileError> {
        loop {
            self.save_and_next();
            match self.current {
                Some(c) if c.is_ascii_digit() || c == b'.' => {}
                _ => break,
            }
        }
        if self.check_next(b"Ee") {
            self.check_next(b"+-");
        }
        while matches!(self.current, Some(c) if is_alnum_(c)) {
            self.save_and_next();
        }
        match str2number(&self.buff) {
            Some(n) => Ok(Token { tok: Tok::Number, sem: SemInfo::Number(n) }),
            None => Err(self.lex_error(b"malformed number", Some(Tok::Number))),
        }
    }

    /// skip_sep: counts the `=` of a long bracket; `count` when the bracket
    /// is well formed, `-count - 1` otherwise.
    fn skip_sep(&mut self) -> i64 {
        let s = self.current;
        let mut count = 0i64;
        self.save_and_next();
        while self.current == Some(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.current == s {
            count
        } else {
            -count - 1
        }
    }

    /// Reads a long string (`keep`) or a long comment.
    fn read_long_string(&mut self, keep: bool, sep: i64) -> Result<Option<Arc<[u8]>>, CompileError> {
        self.save_and_next(); // skip 2nd '['
        if self.cur_is_newline() {
            self.inclinenumber()?;
        }
        loop {
            match self.current {
                None => {
                    let msg: &[u8] = if keep { b"unfinished long string" } else { b"unfinished long comment" };
                    return Err(self.lex_error(msg, Some(Tok::Eos)));
                }
                // LUA_COMPAT_LSTR == 1
                Some(b'[') => {
                    if self.skip_sep() == sep {
                        self.save_and_next(); // skip 2nd '['
                        if sep == 0 {
                            return Err(self.lex_error(b"nesting of [[...]] is deprecated", Some(Tok::Char(b'['))));
                        }
                    }
                }
                Some(b']') => {
                    if self.skip_sep() == sep {
                        self.save_and_next(); // skip 2nd ']'
                        break;
                    }
                }
                Some(b'\n' | b'\r') => {
                    self.save(b'\n');
                    self.inclinenumber()?;
                    if !keep {
                        self.buff.clear();
                    }
                }
                Some(_) => {
                    if keep {
                        self.save_and_next();
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if !keep {
            return Ok(None);
        }
        let n = (2 + sep) as usize;
        let body = self.buff.get(n..self.buff.len().saturating_sub(n)).unwrap_or(&[]);
        Ok(Some(Arc::from(body)))
    }

    fn read_string(&mut self, del: u8) -> Result<Arc<[u8]>, CompileError> {
        self.save_and_next();
        while self.current != Some(del) {
            match self.current {
                None => return Err(self.lex_error(b"unfinished string", Some(Tok::Eos))),
                Some(b'\n' | b'\r') => return Err(self.lex_error(b"unfinished string", Some(Tok::String))),
                Some(b'\\') => {
                    self.advance(); // do not save the '\'
                    let c = match self.current {
                        Some(b'a') => 7,
                        Some(b'b') => 8,
                        Some(b'f') => 12,
                        Some(b'n') => b'\n',
                        Some(b'r') => b'\r',
                        Some(b't') => b'\t',
                        Some(b'v') => 11,
                        Some(b'\n' | b'\r') => {
                            self.save(b'\n');
                            self.inclinenumber()?;
                            continue;
                        }
                        None => continue, // will raise an error next loop
                        Some(d) if d.is_ascii_digit() => {
                            let mut c: u32 = 0;
                            let mut i = 0;
                            while let Some(d @ b'0'..=b'9') = self.current {
                                c = 10 * c + u32::from(d - b'0');
                                self.advance();
                                i += 1;
                                if i == 3 {
                                    break;
                                }
                            }
                            if c > 255 {
                                return Err(self.lex_error(b"escape sequence too large", Some(Tok::String)));
                            }
                            self.save(c as u8);
                            continue;
                        }
                        Some(_) => {
                            // \\, \", \' and any other character stand for themselves.
                            self.save_and_next();
                            continue;
                        }
                    };
                    self.save(c);
                    self.advance();
                }
                Some(_) => self.save_and_next(),
            }
        }
        self.save_and_next(); // skip delimiter
        let body = self.buff.get(1..self.buff.len().saturating_sub(1)).unwrap_or(&[]);
        Ok(Arc::from(body))
    }

    fn llex(&mut self) -> Result<Token, CompileError> {
        self.buff.clear();
        let simple = |tok| Ok(Token { tok, sem: SemInfo::None });
        loop {
            let Some(c) = self.current else {
                return simple(Tok::Eos);
            };
            match c {
                b'\n' | b'\r' => self.inclinenumber()?,
                b'-' => {
                    self.advance();
                    if self.current != Some(b'-') {
                        return simple(Tok::Char(b'-'));
                    }
                    // A comment.
                    self.advance();
                    if self.current == Some(b'[') {
                        let sep = self.skip_sep();
                        self.buff.clear();
                        if sep >= 0 {
                            self.read_long_string(false, sep)?;
                            self.buff.clear();
                            continue;
                        }
                    }
                    while !self.cur_is_newline() && self.current.is_some() {
                        self.advance();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 0 {
                        let s = self.read_long_string(true, sep)?;
                        return Ok(Token { tok: Tok::String, sem: SemInfo::Str(s.unwrap_or_else(|| Arc::from(&b""[..]))) });
                    } else if sep == -1 {
                        return simple(Tok::Char(b'['));
                    } else {
                        return Err(self.lex_error(b"invalid long string delimiter", Some(Tok::String)));
                    }
                }
                b'=' | b'<' | b'>' | b'~' => {
                    self.advance();
                    if self.current != Some(b'=') {
                        return simple(Tok::Char(c));
                    }
                    self.advance();
                    return simple(match c {
                        b'=' => Tok::Eq,
                        b'<' => Tok::Le,
                        b'>' => Tok::Ge,
                        _ => Tok::Ne,
                    });
                }
                b'"' | b'\'' => {
                    let s = self.read_string(c)?;
                    return Ok(Token { tok: Tok::String, sem: SemInfo::Str(s) });
                }
                b'.' => {
                    self.save_and_next();
                    if self.check_next(b".") {
                        return simple(if self.check_next(b".") { Tok::Dots } else { Tok::Concat });
                    } else if !matches!(self.current, Some(d) if d.is_ascii_digit()) {
                        return simple(Tok::Char(b'.'));
                    } else {
                        return self.read_numeral();
                    }
                }
                _ if is_space(c) => self.advance(),
                _ if c.is_ascii_digit() => return self.read_numeral(),
                _ if c.is_ascii_alphabetic() || c == b'_' => {
                    loop {
                        self.save_and_next();
                        if !matches!(self.current, Some(d) if is_alnum_(d)) {
                            break;
                        }
                    }
                    if let Some(tok) = reserved(&self.buff) {
                        return simple(tok);
                    }
                    return Ok(Token { tok: Tok::Name, sem: SemInfo::Str(Arc::from(&self.buff[..])) });
                }
                _ => {
                    self.advance();
                    return simple(Tok::Char(c));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(str2number(b"3"), Some(3.0));
        assert_eq!(str2number(b"3.25e2"), Some(325.0));
        assert_eq!(str2number(b".5"), Some(0.5));
        assert_eq!(str2number(b"5."), Some(5.0));
        assert_eq!(str2number(b"0x10"), Some(16.0));
        assert_eq!(str2number(b"0XfF"), Some(255.0));
        assert_eq!(str2number(b"0x1p4"), Some(16.0));
        assert_eq!(str2number(b"0x1P-1"), Some(0.5));
        assert_eq!(str2number(b"1e999"), Some(f64::INFINITY));
        assert_eq!(str2number(b"0x"), None);
        assert_eq!(str2number(b"1e"), None);
        assert_eq!(str2number(b"1..2"), None);
        assert_eq!(str2number(b"3x"), None);
        assert_eq!(str2number(b"0x1p"), None);
        assert_eq!(str2number(b"0xffffffffffffffffff"), Some(4722366482869645213696.0));
        assert_eq!(str2number(b"0x1fffffffffffff"), Some(9007199254740991.0));
        assert_eq!(str2number(b"0x20000000000001"), Some(9007199254740992.0));
        assert_eq!(str2number(b"0x20000000000003"), Some(9007199254740996.0));
        assert_eq!(str2number(b"0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(str2number(b"0x1p-1075"), Some(0.0));
        assert_eq!(str2number(b"0x3p-1076"), Some(f64::from_bits(1)));
    }

    fn tokens(src: &[u8]) -> Result<Vec<Tok>, CompileError> {
        let mut ls = Lexer::new(src, Arc::from(&b"=t"[..]));
        let mut out = Vec::new();
        loop {
            ls.next_token()?;
            if ls.t.tok == Tok::Eos {
                return Ok(out);
            }
            out.push(ls.t.tok);
        }
    }

    #[test]
    fn scans() {
        assert_eq!(
            tokens(b"a.b..c...--x\n[==[s]==] ~= <= >= == = 1e+5").unwrap(),
            [
                Tok::Name,
                Tok::Char(b'.'),
                Tok::Name,
                Tok::Concat,
                Tok::Name,
                Tok::Dots,
                Tok::String,
                Tok::Ne,
                Tok::Le,
                Tok::Ge,
                Tok::Eq,
                Tok::Char(b'='),
                Tok::Number
            ]
        );
        let e = tokens(b"x = \"abc\n").unwrap_err();
        assert_eq!(e.message, b"t:1: unfinished string near '\"abc'");
        let e = tokens(b"x = 3x").unwrap_err();
        assert_eq!(e.message, b"t:1: malformed number near '3x'");
        let e = tokens(b"--[[ x").unwrap_err();
        assert_eq!(e.message, b"t:1: unfinished long comment near '<eof>'");
        assert_eq!(token2str(Tok::Char(1)), b"char(1)");
    }
}
