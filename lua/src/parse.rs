//! The parser and code generator: a port of Lua 5.1.5's lparser.c and
//! lcode.c, producing the very bytecode `luac` 5.1.5 produces (same
//! instructions, constant order, register allocation, line and debug
//! information) and the very same error messages.
//!
//! The structure follows the C closely on purpose, function for function, so
//! that the two can be compared line by line: an expression is an
//! `ExpDesc` whose kind says where its value is (a constant, a register, a
//! pending instruction, a jump...), and "jump lists" are chained through the
//! sBx fields of the jumps themselves, terminated by `NO_JUMP`.
//!
//! Invariants: `freereg >= nactvar` between statements; every register
//! handed out is below `maxstacksize < MAXSTACK`; the nesting of `chunk` and
//! `subexpr` (the only unbounded recursions, together with the function
//! nesting they contain) stays within [`LUAI_MAXCCALLS`], so hostile input
//! cannot overflow the Rust stack: deeper input gets Lua's "chunk has too
//! many syntax levels".

use hashbrown::HashTable;
use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::lex::{token2str, Lexer, SemInfo, Tok};
use crate::proto::{
    create_abc, create_abx, get_a, get_b, get_c, get_op, get_sbx, int2fb, rk_as_k, set_a, set_b, set_c, set_op, set_sbx,
    CompileError, Constant, Instruction, LocVar, OpCode, Proto, LFIELDS_PER_FLUSH, MAXARG_BX, MAXARG_C, MAXARG_SBX,
    MAXINDEXRK, NO_REG, VARARG_HASARG, VARARG_ISVARARG, VARARG_NEEDSARG,
};

/// End of a jump list (and "no jump").
const NO_JUMP: i32 = -1;
/// Maximum registers of a function (llimits.h MAXSTACK).
const MAXSTACK: i32 = 250;
/// Maximum active local variables of a function.
const LUAI_MAXVARS: i32 = 200;
/// Maximum upvalues of a function.
const LUAI_MAXUPVALUES: i32 = 60;
/// Maximum nesting of C calls, which bounds the parser's recursion.
pub const LUAI_MAXCCALLS: u32 = 200;
/// "All results" for calls and varargs.
const LUA_MULTRET: i32 = -1;
/// llimits.h MAX_INT.
const MAX_INT: i32 = i32::MAX - 2;
/// Priority of unary operators.
const UNARY_PRIORITY: u32 = 8;

type R<T> = Result<T, CompileError>;

/// Where an expression's value is (lparser.h's expkind). The order matters:
/// assignment targets are `Local..=Indexed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ExpKind {
    /// No value.
    Void,
    Nil,
    True,
    False,
    /// `info` is a constant index.
    K,
    /// `nval` is the value.
    KNum,
    /// `info` is the local's register.
    Local,
    /// `info` is the upvalue index.
    Upval,
    /// `info` is the global name's constant index.
    Global,
    /// `info` is the table register, `aux` the key's RK.
    Indexed,
    /// `info` is the pc of a jump.
    Jmp,
    /// `info` is the pc of an instruction whose A is still to be set.
    Relocable,
    /// `info` is the register holding the value.
    NonReloc,
    /// `info` is the pc of the CALL.
    Call,
    /// `info` is the pc of the VARARG.
    VarArg,
}

/// An expression descriptor (lparser.h's expdesc).
#[derive(Clone, Copy, Debug)]
struct ExpDesc {
    k: ExpKind,
    info: i32,
    aux: i32,
    nval: f64,
    /// Patch list of "exit when true".
    t: i32,
    /// Patch list of "exit when false".
    f: i32,
}

impl ExpDesc {
    fn new(k: ExpKind, info: i32) -> ExpDesc {
        ExpDesc { k, info, aux: 0, nval: 0.0, t: NO_JUMP, f: NO_JUMP }
    }

    fn void() -> ExpDesc {
        ExpDesc::new(ExpKind::Void, 0)
    }

    fn has_jumps(&self) -> bool {
        self.t != self.f
    }

    fn is_numeral(&self) -> bool {
        self.k == ExpKind::KNum && self.t == NO_JUMP && self.f == NO_JUMP
    }

    fn has_multret(&self) -> bool {
        matches!(self.k, ExpKind::Call | ExpKind::VarArg)
    }
}

/// The constant cache's hash of a constant (lcode.c's `fs->h` is a Lua
/// table): numbers by value with 0 and -0 one key, strings by content
/// (FNV-1a; the cache lives for one compilation, so no seed is needed).
fn k_hash(c: &Constant) -> u64 {
    match c {
        Constant::Nil => 0,
        Constant::Boolean(b) => 1 + *b as u64,
        Constant::Number(n) => k_num_bits(*n).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 3,
        Constant::String(s) => s.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3)),
    }
}

/// A number's key in the constant cache: its bits, one key for 0 and -0
/// (the first one seen is the constant, as in a Lua table).
fn k_num_bits(n: f64) -> u64 {
    if n == 0.0 {
        0
    } else {
        n.to_bits()
    }
}

/// Whether two constants are one key of the constant cache.
fn k_same(a: &Constant, b: &Constant) -> bool {
    match (a, b) {
        (Constant::Nil, Constant::Nil) => true,
        (Constant::Boolean(x), Constant::Boolean(y)) => x == y,
        (Constant::Number(x), Constant::Number(y)) => k_num_bits(*x) == k_num_bits(*y),
        (Constant::String(x), Constant::String(y)) => x[..] == y[..],
        _ => false,
    }
}

/// An active block (lparser.c's BlockCnt).
#[derive(Clone, Copy, Debug)]
struct BlockCnt {
    /// Jumps out of this loop.
    breaklist: i32,
    /// Active locals outside the block.
    nactvar: i32,
    /// Some variable of the block is captured as an upvalue.
    upval: bool,
    /// The block is a loop.
    isbreakable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnOpr {
    Minus,
    Not,
    Len,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOpr {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Ne,
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOpr {
    /// (left, right) priorities; `^` and `..` are right associative.
    fn priority(self) -> (u32, u32) {
        match self {
            BinOpr::Add | BinOpr::Sub => (6, 6),
            BinOpr::Mul | BinOpr::Div | BinOpr::Mod => (7, 7),
            BinOpr::Pow => (10, 9),
            BinOpr::Concat => (5, 4),
            BinOpr::Ne | BinOpr::Eq | BinOpr::Lt | BinOpr::Le | BinOpr::Gt | BinOpr::Ge => (3, 3),
            BinOpr::And => (2, 2),
            BinOpr::Or => (1, 1),
        }
    }
}

/// The state of one function being compiled (lparser.h's FuncState).
struct FuncState {
    f: Proto,
    /// Constant cache: value -> index in `f.constants`.
    h: HashTable<u32>,
    /// Active blocks, innermost last.
    bl: Vec<BlockCnt>,
    /// pc of the last jump target.
    lasttarget: i32,
    /// Pending jumps to the next instruction.
    jpc: i32,
    /// First free register.
    freereg: i32,
    /// Number of active locals.
    nactvar: i32,
    /// What each upvalue captures: (Local or Upval, register or index).
    upvalues: Vec<(ExpKind, i32)>,
    /// Active locals: indices into `f.locvars`.
    actvar: Vec<u16>,
}

impl FuncState {
    fn new(source: Arc<[u8]>) -> FuncState {
        FuncState {
            f: Proto {
                code: Vec::new(),
                constants: Vec::new(),
                protos: Vec::new(),
                lineinfo: Vec::new(),
                locvars: Vec::new(),
                upvalue_names: Vec::new(),
                source,
                linedefined: 0,
                lastlinedefined: 0,
                nups: 0,
                numparams: 0,
                is_vararg: 0,
                maxstacksize: 2, // registers 0/1 are always valid
            },
            h: HashTable::new(),
            bl: Vec::new(),
            lasttarget: -1,
            jpc: NO_JUMP,
            freereg: 0,
            nactvar: 0,
            upvalues: Vec::new(),
            actvar: vec![0; LUAI_MAXVARS as usize],
        }
    }

    fn pc(&self) -> i32 {
        self.f.code.len() as i32
    }

    fn code_at(&self, pc: i32) -> Instruction {
        usize::try_from(pc).ok().and_then(|i| self.f.code.get(i)).copied().unwrap_or(0)
    }

    fn set_code(&mut self, pc: i32, i: Instruction) {
        if let Some(slot) = usize::try_from(pc).ok().and_then(|p| self.f.code.get_mut(p)) {
            *slot = i;
        }
    }

    fn locvar_mut(&mut self, i: i32) -> Option<&mut LocVar> {
        let idx = *self.actvar.get(usize::try_from(i).ok()?)?;
        self.f.locvars.get_mut(usize::from(idx))
    }

    fn getjump(&self, pc: i32) -> i32 {
        let offset = get_sbx(self.code_at(pc));
        if offset == NO_JUMP {
            NO_JUMP // a jump to itself ends the list
        } else {
            pc + 1 + offset
        }
    }

    /// The instruction controlling the jump at `pc`: the test before it, if any.
    fn getjumpcontrol(&self, pc: i32) -> i32 {
        if pc >= 1 && get_op(self.code_at(pc - 1)).is_some_and(OpCode::is_test) {
            pc - 1
        } else {
            pc
        }
    }

    fn searchvar(&self, n: &[u8]) -> i32 {
        for i in (0..self.nactvar).rev() {
            let idx = self.actvar.get(i as usize).copied().unwrap_or(0);
            if self.f.locvars.get(usize::from(idx)).is_some_and(|v| &*v.name == n) {
                return i;
            }
        }
        -1
    }

    fn markupval(&mut self, level: i32) {
        if let Some(bl) = self.bl.iter_mut().rev().find(|bl| bl.nactvar <= level) {
            bl.upval = true;
        }
    }
}

/// The parser: the lexer, the function being compiled and its enclosing ones.
struct Parser<'a> {
    ls: Lexer<'a>,
    fs: FuncState,
    outer: Vec<FuncState>,
    /// Nesting depth (lua_State's nCcalls).
    nccalls: u32,
}

/// Compiles a chunk (luaY_parser), as Lua does when loaded from C
/// (`luaL_loadbuffer`, Redis's script loading). Errors are Lua's exact
/// messages, e.g. `user_script:1: '=' expected near 'x'`.
///
/// ```
/// let p = redlet_lua::parse::compile(b"return 1 + 2", b"=t").unwrap();
/// assert_eq!(p.constants, [redlet_lua::proto::Constant::Number(3.0)]);
/// let e = redlet_lua::parse::compile(b"x = = 1", b"@user_script").unwrap_err();
/// assert_eq!(e.message, b"user_script:1: unexpected symbol near '='");
/// ```
pub fn compile(source: &[u8], chunkname: &[u8]) -> Result<Arc<Proto>, CompileError> {
    compile_at_depth(source, chunkname, 0)
}

/// [`compile`] from a given C-call depth (`nCcalls`): the nesting limit
/// [`LUAI_MAXCCALLS`] counts the calls already active, so `loadstring`
/// called from Lua (depth 1 or more) fails one level earlier than a load
/// from C, and `luac` loads at depth 1.
pub fn compile_at_depth(source: &[u8], chunkname: &[u8], nccalls: u32) -> Result<Arc<Proto>, CompileError> {
    // lua_load makes the chunk name a string with luaS_new, i.e. strlen:
    // it ends at its first NUL byte.
    let chunkname = chunkname.split(|&c| c == 0).next().unwrap_or(chunkname);
    let name: Arc<[u8]> = Arc::from(chunkname);
    let mut p = Parser {
        ls: Lexer::new(source, name.clone()),
        fs: FuncState::new(name),
        outer: Vec::new(),
        nccalls,
    };
    p.fs.f.is_vararg = VARARG_ISVARARG; // the main function is always vararg
    p.ls.next_token()?;
    p.chunk()?;
    p.check(Tok::Eos)?;
    let (f, _) = p.close_func()?;
    Ok(Arc::new(f))
}

fn runtime_error(msg: &str) -> CompileError {
    CompileError { message: msg.as_bytes().to_vec() }
}

impl Parser<'_> {
    // ---------------------------------------------------------------
    // lcode.c
    // ---------------------------------------------------------------

    fn code(&mut self, i: Instruction, line: u32) -> R<i32> {
        self.dischargejpc()?; // `pc' will change
        if self.fs.f.code.len() >= MAX_INT as usize {
            return Err(runtime_error("code size overflow"));
        }
        self.fs.f.code.push(i);
        self.fs.f.lineinfo.push(line);
        Ok(self.fs.pc() - 1)
    }

    fn code_abc(&mut self, o: OpCode, a: i32, b: i32, c: i32) -> R<i32> {
        let line = self.ls.lastline;
        self.code(create_abc(o, a as u32, b as u32, c as u32), line)
    }

    fn code_abx(&mut self, o: OpCode, a: i32, bx: i32) -> R<i32> {
        let line = self.ls.lastline;
        self.code(create_abx(o, a as u32, bx as u32), line)
    }

    fn code_asbx(&mut self, o: OpCode, a: i32, sbx: i32) -> R<i32> {
        self.code_abx(o, a, sbx + MAXARG_SBX)
    }

    fn fixline(&mut self, line: u32) {
        if let Some(l) = self.fs.f.lineinfo.last_mut() {
            *l = line;
        }
    }

    fn nil(&mut self, from: i32, n: i32) -> R<()> {
        let fs = &mut self.fs;
        if fs.pc() > fs.lasttarget {
            // no jumps to the current position
            if fs.pc() == 0 {
                if from >= fs.nactvar {
                    return Ok(()); // positions are already clean
                }
            } else {
                let prev_pc = fs.pc() - 1;
                let previous = fs.code_at(prev_pc);
                if get_op(previous) == Some(OpCode::LoadNil) {
                    let pfrom = get_a(previous) as i32;
                    let pto = get_b(previous) as i32;
                    if pfrom <= from && from <= pto + 1 {
                        // can connect both
                        if from + n - 1 > pto {
                            fs.set_code(prev_pc, set_b(previous, (from + n - 1) as u32));
                        }
                        return Ok(());
                    }
                }
            }
        }
        self.code_abc(OpCode::LoadNil, from, from + n - 1, 0)?;
        Ok(())
    }

    fn jump(&mut self) -> R<i32> {
        let jpc = self.fs.jpc; // save list of jumps to here
        self.fs.jpc = NO_JUMP;
        let j = self.code_asbx(OpCode::Jmp, 0, NO_JUMP)?;
        self.concat(j, jpc) // keep them on hold
    }

    fn ret(&mut self, first: i32, nret: i32) -> R<()> {
        self.code_abc(OpCode::Return, first, nret + 1, 0)?;
        Ok(())
    }

    fn condjump(&mut self, op: OpCode, a: i32, b: i32, c: i32) -> R<i32> {
        self.code_abc(op, a, b, c)?;
        self.jump()
    }

    fn fixjump(&mut self, pc: i32, dest: i32) -> R<()> {
        let offset = dest - (pc + 1);
        if offset.abs() > MAXARG_SBX {
            return Err(self.ls.syntax_error(b"control structure too long"));
        }
        let i = self.fs.code_at(pc);
        self.fs.set_code(pc, set_sbx(i, offset));
        Ok(())
    }

    /// The current pc, marked as a jump target (so that no optimization
    /// merges instructions across it).
    fn getlabel(&mut self) -> i32 {
        self.fs.lasttarget = self.fs.pc();
        self.fs.pc()
    }

    fn need_value(&self, mut list: i32) -> bool {
        while list != NO_JUMP {
            let i = self.fs.code_at(self.fs.getjumpcontrol(list));
            if get_op(i) != Some(OpCode::TestSet) {
                return true;
            }
            list = self.fs.getjump(list);
        }
        false
    }

    fn patchtestreg(&mut self, node: i32, reg: i32) -> bool {
        let pc = self.fs.getjumpcontrol(node);
        let i = self.fs.code_at(pc);
        if get_op(i) != Some(OpCode::TestSet) {
            return false; // cannot patch other instructions
        }
        if reg != NO_REG as i32 && reg != get_b(i) as i32 {
            self.fs.set_code(pc, set_a(i, reg as u32));
        } else {
            // no register to put the value or register already has the value
            self.fs.set_code(pc, create_abc(OpCode::Test, get_b(i) as u32, 0, get_c(i) as u32));
        }
        true
    }

    fn removevalues(&mut self, mut list: i32) {
        while list != NO_JUMP {
            self.patchtestreg(list, NO_REG as i32);
            list = self.fs.getjump(list);
        }
    }

    fn patchlistaux(&mut self, mut list: i32, vtarget: i32, reg: i32, dtarget: i32) -> R<()> {
        while list != NO_JUMP {
            let next = self.fs.getjump(list);
            if self.patchtestreg(list, reg) {
                self.fixjump(list, vtarget)?;
            } else {
                self.fixjump(list, dtarget)?; // jump to default target
            }
            list = next;
        }
        Ok(())
    }

    fn dischargejpc(&mut self) -> R<()> {
        let pc = self.fs.pc();
        let jpc = self.fs.jpc;
        self.patchlistaux(jpc, pc, NO_REG as i32, pc)?;
        self.fs.jpc = NO_JUMP;
        Ok(())
    }

    fn patchlist(&mut self, list: i32, target: i32) -> R<()> {
        if target == self.fs.pc() {
            self.patchtohere(list)
        } else {
            self.patchlistaux(list, target, NO_REG as i32, target)
        }
    }

    fn patchtohere(&mut self, list: i32) -> R<()> {
        self.getlabel();
        self.fs.jpc = self.concat(self.fs.jpc, list)?;
        Ok(())
    }

    /// Appends jump list `l2` to `l1`; returns the new head of `l1`.
    fn concat(&mut self, l1: i32, l2: i32) -> R<i32> {
        if l2 == NO_JUMP {
            return Ok(l1);
        }
        if l1 == NO_JUMP {
            return Ok(l2);
        }
        let mut list = l1;
        loop {
            let next = self.fs.getjump(list);
            if next == NO_JUMP {
                break;
            }
            list = next;
        }
        self.fixjump(list, l2)?;
        Ok(l1)
    }

    fn checkstack(&mut self, n: i32) -> R<()> {
        let newstack = self.fs.freereg + n;
        if newstack > i32::from(self.fs.f.maxstacksize) {
            if newstack >= MAXSTACK {
                return Err(self.ls.syntax_error(b"function or expression too complex"));
            }
            self.fs.f.maxstacksize = newstack as u8;
        }
        Ok(())
    }

    fn reserveregs(&mut self, n: i32) -> R<()> {
        self.checkstack(n)?;
        self.fs.freereg += n;
        Ok(())
    }

    fn freereg(&mut self, reg: i32) {
        if reg & rk_as_k(0) as i32 == 0 && reg >= self.fs.nactvar {
            self.fs.freereg -= 1;
        }
    }

    fn freeexp(&mut self, e: &ExpDesc) {
        if e.k == ExpKind::NonReloc {
            self.freereg(e.info);
        }
    }

    fn addk(&mut self, v: Constant) -> R<i32> {
        let fs = &mut self.fs;
        let n = fs.f.constants.len();
        let hash = k_hash(&v);
        let consts = &fs.f.constants;
        if let Some(&i) = fs.h.find(hash, |&i| k_same(&consts[i as usize], &v)) {
            return Ok(i as i32);
        }
        if n >= MAXARG_BX as usize {
            return Err(runtime_error("constant table overflow"));
        }
        // `dyn`: the same hashbrown instantiation as the string intern table
        // (heap.rs); the hasher only runs when the table grows.
        let rehash: &dyn Fn(&u32) -> u64 = &|&i| k_hash(&consts[i as usize]);
        fs.h.insert_unique(hash, n as u32, rehash);
        fs.f.constants.push(v);
        Ok(n as i32)
    }

    fn string_k(&mut self, s: Arc<[u8]>) -> R<i32> {
        self.addk(Constant::String(s))
    }

    fn number_k(&mut self, r: f64) -> R<i32> {
        self.addk(Constant::Number(r))
    }

    fn bool_k(&mut self, b: bool) -> R<i32> {
        self.addk(Constant::Boolean(b))
    }

    fn nil_k(&mut self) -> R<i32> {
        self.addk(Constant::Nil)
    }

    fn setreturns(&mut self, e: &ExpDesc, nresults: i32) -> R<()> {
        match e.k {
            ExpKind::Call => {
                let i = self.fs.code_at(e.info);
                self.fs.set_code(e.info, set_c(i, (nresults + 1) as u32));
            }
            ExpKind::VarArg => {
                let i = self.fs.code_at(e.info);
                let i = set_a(set_b(i, (nresults + 1) as u32), self.fs.freereg as u32);
                self.fs.set_code(e.info, i);
                self.reserveregs(1)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn setmultret(&mut self, e: &ExpDesc) -> R<()> {
        self.setreturns(e, LUA_MULTRET)
    }

    fn setoneret(&mut self, e: &mut ExpDesc) {
        match e.k {
            ExpKind::Call => {
                e.k = ExpKind::NonReloc;
                e.info = get_a(self.fs.code_at(e.info)) as i32;
            }
            ExpKind::VarArg => {
                let i = self.fs.code_at(e.info);
                self.fs.set_code(e.info, set_b(i, 2));
                e.k = ExpKind::Relocable; // can relocate its simple result
            }
            _ => {}
        }
    }

    fn dischargevars(&mut self, e: &mut ExpDesc) -> R<()> {
        match e.k {
            ExpKind::Local => e.k = ExpKind::NonReloc,
            ExpKind::Upval => {
                e.info = self.code_abc(OpCode::GetUpval, 0, e.info, 0)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::Global => {
                e.info = self.code_abx(OpCode::GetGlobal, 0, e.info)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::Indexed => {
                self.freereg(e.aux);
                self.freereg(e.info);
                e.info = self.code_abc(OpCode::GetTable, 0, e.info, e.aux)?;
                e.k = ExpKind::Relocable;
            }
            ExpKind::VarArg | ExpKind::Call => self.setoneret(e),
            _ => {} // there is one value available (somewhere)
        }
        Ok(())
    }

    fn code_label(&mut self, a: i32, b: i32, jump: i32) -> R<i32> {
        self.getlabel(); // those instructions may be jump targets
        self.code_abc(OpCode::LoadBool, a, b, jump)
    }

    fn discharge2reg(&mut self, e: &mut ExpDesc, reg: i32) -> R<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil => self.nil(reg, 1)?,
            ExpKind::False | ExpKind::True => {
                self.code_abc(OpCode::LoadBool, reg, i32::from(e.k == ExpKind::True), 0)?;
            }
            ExpKind::K => {
                self.code_abx(OpCode::LoadK, reg, e.info)?;
            }
            ExpKind::KNum => {
                let k = self.number_k(e.nval)?;
                self.code_abx(OpCode::LoadK, reg, k)?;
            }
            ExpKind::Relocable => {
                let i = self.fs.code_at(e.info);
                self.fs.set_code(e.info, set_a(i, reg as u32));
            }
            ExpKind::NonReloc => {
                if reg != e.info {
                    self.code_abc(OpCode::Move, reg, e.info, 0)?;
                }
            }
            _ => return Ok(()), // Void or Jmp: nothing to do
        }
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn discharge2anyreg(&mut self, e: &mut ExpDesc) -> R<()> {
        if e.k != ExpKind::NonReloc {
            self.reserveregs(1)?;
            let reg = self.fs.freereg - 1;
            self.discharge2reg(e, reg)?;
        }
        Ok(())
    }

    fn exp2reg(&mut self, e: &mut ExpDesc, reg: i32) -> R<()> {
        self.discharge2reg(e, reg)?;
        if e.k == ExpKind::Jmp {
            e.t = self.concat(e.t, e.info)?; // put this jump in `t' list
        }
        if e.has_jumps() {
            let mut p_f = NO_JUMP; // position of an eventual LOAD false
            let mut p_t = NO_JUMP; // position of an eventual LOAD true
            if self.need_value(e.t) || self.need_value(e.f) {
                let fj = if e.k == ExpKind::Jmp { NO_JUMP } else { self.jump()? };
                p_f = self.code_label(reg, 0, 1)?;
                p_t = self.code_label(reg, 1, 0)?;
                self.patchtohere(fj)?;
            }
            let fin = self.getlabel(); // position after whole expression
            self.patchlistaux(e.f, fin, reg, p_f)?;
            self.patchlistaux(e.t, fin, reg, p_t)?;
        }
        e.f = NO_JUMP;
        e.t = NO_JUMP;
        e.info = reg;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn exp2nextreg(&mut self, e: &mut ExpDesc) -> R<()> {
        self.dischargevars(e)?;
        self.freeexp(e);
        self.reserveregs(1)?;
        let reg = self.fs.freereg - 1;
        self.exp2reg(e, reg)
    }

    fn exp2anyreg(&mut self, e: &mut ExpDesc) -> R<i32> {
        self.dischargevars(e)?;
        if e.k == ExpKind::NonReloc {
            if !e.has_jumps() {
                return Ok(e.info); // already in a register
            }
            if e.info >= self.fs.nactvar {
                // the register is not a local: put the value there
                let reg = e.info;
                self.exp2reg(e, reg)?;
                return Ok(e.info);
            }
        }
        self.exp2nextreg(e)?;
        Ok(e.info)
    }

    fn exp2val(&mut self, e: &mut ExpDesc) -> R<()> {
        if e.has_jumps() {
            self.exp2anyreg(e)?;
            Ok(())
        } else {
            self.dischargevars(e)
        }
    }

    fn exp2rk(&mut self, e: &mut ExpDesc) -> R<i32> {
        self.exp2val(e)?;
        match e.k {
            // the constant fits in an RK operand
            ExpKind::KNum | ExpKind::True | ExpKind::False | ExpKind::Nil
                if self.fs.f.constants.len() <= MAXINDEXRK as usize =>
            {
                e.info = match e.k {
                    ExpKind::Nil => self.nil_k()?,
                    ExpKind::KNum => self.number_k(e.nval)?,
                    k => self.bool_k(k == ExpKind::True)?,
                };
                e.k = ExpKind::K;
                return Ok(rk_as_k(e.info as u32) as i32);
            }
            ExpKind::K if e.info <= MAXINDEXRK as i32 => return Ok(rk_as_k(e.info as u32) as i32),
            _ => {}
        }
        // not a constant in the right range: put it in a register
        self.exp2anyreg(e)
    }

    fn storevar(&mut self, var: &ExpDesc, ex: &mut ExpDesc) -> R<()> {
        match var.k {
            ExpKind::Local => {
                self.freeexp(ex);
                return self.exp2reg(ex, var.info);
            }
            ExpKind::Upval => {
                let e = self.exp2anyreg(ex)?;
                self.code_abc(OpCode::SetUpval, e, var.info, 0)?;
            }
            ExpKind::Global => {
                let e = self.exp2anyreg(ex)?;
                self.code_abx(OpCode::SetGlobal, e, var.info)?;
            }
            ExpKind::Indexed => {
                let e = self.exp2rk(ex)?;
                self.code_abc(OpCode::SetTable, var.info, var.aux, e)?;
            }
            _ => {} // not an assignable kind: the parser never asks
        }
        self.freeexp(ex);
        Ok(())
    }

    fn self_(&mut self, e: &mut ExpDesc, key: &mut ExpDesc) -> R<()> {
        self.exp2anyreg(e)?;
        self.freeexp(e);
        let func = self.fs.freereg;
        self.reserveregs(2)?;
        let k = self.exp2rk(key)?;
        self.code_abc(OpCode::Self_, func, e.info, k)?;
        self.freeexp(key);
        e.info = func;
        e.k = ExpKind::NonReloc;
        Ok(())
    }

    fn invertjump(&mut self, e: &ExpDesc) {
        let pc = self.fs.getjumpcontrol(e.info);
        let i = self.fs.code_at(pc);
        self.fs.set_code(pc, set_a(i, u32::from(get_a(i) == 0)));
    }

    fn jumponcond(&mut self, e: &mut ExpDesc, cond: bool) -> R<i32> {
        if e.k == ExpKind::Relocable {
            let ie = self.fs.code_at(e.info);
            if get_op(ie) == Some(OpCode::Not) {
                // remove the NOT and test its operand instead
                self.fs.f.code.pop();
                self.fs.f.lineinfo.pop();
                return self.condjump(OpCode::Test, get_b(ie) as i32, 0, i32::from(!cond));
            }
        }
        self.discharge2anyreg(e)?;
        self.freeexp(e);
        self.condjump(OpCode::TestSet, NO_REG as i32, e.info, i32::from(cond))
    }

    fn goiftrue(&mut self, e: &mut ExpDesc) -> R<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::K | ExpKind::KNum | ExpKind::True => NO_JUMP, // always true
            ExpKind::Jmp => {
                self.invertjump(e);
                e.info
            }
            _ => self.jumponcond(e, false)?,
        };
        e.f = self.concat(e.f, pc)?; // insert last jump in `f' list
        self.patchtohere(e.t)?;
        e.t = NO_JUMP;
        Ok(())
    }

    fn goiffalse(&mut self, e: &mut ExpDesc) -> R<()> {
        self.dischargevars(e)?;
        let pc = match e.k {
            ExpKind::Nil | ExpKind::False => NO_JUMP, // always false
            ExpKind::Jmp => e.info,
            _ => self.jumponcond(e, true)?,
        };
        e.t = self.concat(e.t, pc)?; // insert last jump in `t' list
        self.patchtohere(e.f)?;
        e.f = NO_JUMP;
        Ok(())
    }

    fn codenot(&mut self, e: &mut ExpDesc) -> R<()> {
        self.dischargevars(e)?;
        match e.k {
            ExpKind::Nil | ExpKind::False => e.k = ExpKind::True,
            ExpKind::K | ExpKind::KNum | ExpKind::True => e.k = ExpKind::False,
            ExpKind::Jmp => self.invertjump(e),
            ExpKind::Relocable | ExpKind::NonReloc => {
                self.discharge2anyreg(e)?;
                self.freeexp(e);
                e.info = self.code_abc(OpCode::Not, 0, e.info, 0)?;
                e.k = ExpKind::Relocable;
            }
            _ => {} // cannot happen
        }
        // interchange true and false lists
        core::mem::swap(&mut e.f, &mut e.t);
        self.removevalues(e.f);
        self.removevalues(e.t);
        Ok(())
    }

    fn indexed(&mut self, t: &mut ExpDesc, k: &mut ExpDesc) -> R<()> {
        t.aux = self.exp2rk(k)?;
        t.k = ExpKind::Indexed;
        Ok(())
    }

    fn constfolding(op: OpCode, e1: &mut ExpDesc, e2: &ExpDesc) -> bool {
        if !e1.is_numeral() || !e2.is_numeral() {
            return false;
        }
        let (v1, v2) = (e1.nval, e2.nval);
        let r = match op {
            OpCode::Add => v1 + v2,
            OpCode::Sub => v1 - v2,
            OpCode::Mul => v1 * v2,
            OpCode::Div => {
                if v2 == 0.0 {
                    return false; // do not attempt to divide by 0
                }
                v1 / v2
            }
            OpCode::Mod => {
                if v2 == 0.0 {
                    return false;
                }
                v1 - libm::floor(v1 / v2) * v2
            }
            OpCode::Pow => crate::number::pow(v1, v2),
            OpCode::Unm => -v1,
            _ => return false, // no folding for LEN
        };
        if r.is_nan() {
            return false; // do not attempt to produce NaN
        }
        e1.nval = r;
        true
    }

    fn codearith(&mut self, op: OpCode, e1: &mut ExpDesc, e2: &mut ExpDesc) -> R<()> {
        if Self::constfolding(op, e1, e2) {
            return Ok(());
        }
        let o2 = if op != OpCode::Unm && op != OpCode::Len { self.exp2rk(e2)? } else { 0 };
        let o1 = self.exp2rk(e1)?;
        if o1 > o2 {
            self.freeexp(e1);
            self.freeexp(e2);
        } else {
            self.freeexp(e2);
            self.freeexp(e1);
        }
        e1.info = self.code_abc(op, 0, o1, o2)?;
        e1.k = ExpKind::Relocable;
        Ok(())
    }

    fn codecomp(&mut self, op: OpCode, cond: bool, e1: &mut ExpDesc, e2: &mut ExpDesc) -> R<()> {
        let mut o1 = self.exp2rk(e1)?;
        let mut o2 = self.exp2rk(e2)?;
        self.freeexp(e2);
        self.freeexp(e1);
        let mut cond = cond;
        if !cond && op != OpCode::Eq {
            // exchange the operands to use `<' or `<='
            core::mem::swap(&mut o1, &mut o2);
            cond = true;
        }
        e1.info = self.condjump(op, i32::from(cond), o1, o2)?;
        e1.k = ExpKind::Jmp;
        Ok(())
    }

    fn prefix(&mut self, op: UnOpr, e: &mut ExpDesc) -> R<()> {
        let mut e2 = ExpDesc::new(ExpKind::KNum, 0);
        match op {
            UnOpr::Minus => {
                if !e.is_numeral() {
                    self.exp2anyreg(e)?; // cannot operate on non-numeric constants
                }
                self.codearith(OpCode::Unm, e, &mut e2)
            }
            UnOpr::Not => self.codenot(e),
            UnOpr::Len => {
                self.exp2anyreg(e)?; // cannot operate on constants
                self.codearith(OpCode::Len, e, &mut e2)
            }
        }
    }

    fn infix(&mut self, op: BinOpr, v: &mut ExpDesc) -> R<()> {
        match op {
            BinOpr::And => self.goiftrue(v),
            BinOpr::Or => self.goiffalse(v),
            BinOpr::Concat => self.exp2nextreg(v), // operand must be on the `stack'
            BinOpr::Add | BinOpr::Sub | BinOpr::Mul | BinOpr::Div | BinOpr::Mod | BinOpr::Pow => {
                if !v.is_numeral() {
                    self.exp2rk(v)?;
                }
                Ok(())
            }
            _ => {
                self.exp2rk(v)?;
                Ok(())
            }
        }
    }

    fn posfix(&mut self, op: BinOpr, e1: &mut ExpDesc, e2: &mut ExpDesc) -> R<()> {
        match op {
            BinOpr::And => {
                self.dischargevars(e2)?;
                e2.f = self.concat(e2.f, e1.f)?;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Or => {
                self.dischargevars(e2)?;
                e2.t = self.concat(e2.t, e1.t)?;
                *e1 = *e2;
                Ok(())
            }
            BinOpr::Concat => {
                self.exp2val(e2)?;
                if e2.k == ExpKind::Relocable && get_op(self.fs.code_at(e2.info)) == Some(OpCode::Concat) {
                    self.freeexp(e1);
                    let i = self.fs.code_at(e2.info);
                    self.fs.set_code(e2.info, set_b(i, e1.info as u32));
                    e1.k = ExpKind::Relocable;
                    e1.info = e2.info;
                    Ok(())
                } else {
                    self.exp2nextreg(e2)?; // operand must be on the 'stack'
                    self.codearith(OpCode::Concat, e1, e2)
                }
            }
            BinOpr::Add => self.codearith(OpCode::Add, e1, e2),
            BinOpr::Sub => self.codearith(OpCode::Sub, e1, e2),
            BinOpr::Mul => self.codearith(OpCode::Mul, e1, e2),
            BinOpr::Div => self.codearith(OpCode::Div, e1, e2),
            BinOpr::Mod => self.codearith(OpCode::Mod, e1, e2),
            BinOpr::Pow => self.codearith(OpCode::Pow, e1, e2),
            BinOpr::Eq => self.codecomp(OpCode::Eq, true, e1, e2),
            BinOpr::Ne => self.codecomp(OpCode::Eq, false, e1, e2),
            BinOpr::Lt => self.codecomp(OpCode::Lt, true, e1, e2),
            BinOpr::Le => self.codecomp(OpCode::Le, true, e1, e2),
            BinOpr::Gt => self.codecomp(OpCode::Lt, false, e1, e2),
            BinOpr::Ge => self.codecomp(OpCode::Le, false, e1, e2),
        }
    }

    fn setlist(&mut self, base: i32, nelems: i32, tostore: i32) -> R<()> {
        let c = (nelems - 1) / LFIELDS_PER_FLUSH as i32 + 1;
        let b = if tostore == LUA_MULTRET { 0 } else { tostore };
        if c <= MAXARG_C as i32 {
            self.code_abc(OpCode::SetList, base, b, c)?;
        } else {
            // C does not fit: the next "instruction" is C itself
            self.code_abc(OpCode::SetList, base, b, 0)?;
            let line = self.ls.lastline;
            self.code(c as Instruction, line)?;
        }
        self.fs.freereg = base + 1; // free registers with list values
        Ok(())
    }

    // ---------------------------------------------------------------
    // lparser.c
    // ---------------------------------------------------------------

    fn error_expected(&self, tok: Tok) -> CompileError {
        let mut msg = vec![b'\''];
        msg.extend_from_slice(&token2str(tok));
        msg.extend_from_slice(b"' expected");
        self.ls.syntax_error(&msg)
    }

    /// errorlimit for the function `depth` levels out (0: the current one).
    fn errorlimit(&self, depth: usize, limit: i32, what: &str) -> CompileError {
        let linedefined = self.fs_at(depth).map_or(0, |fs| fs.f.linedefined);
        let msg = if linedefined == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!("function at line {linedefined} has more than {limit} {what}")
        };
        self.ls.lex_error(msg.as_bytes(), None)
    }

    fn checklimit(&self, v: i32, l: i32, what: &str) -> R<()> {
        if v > l {
            return Err(self.errorlimit(0, l, what));
        }
        Ok(())
    }

    fn fs_at(&self, depth: usize) -> Option<&FuncState> {
        if depth == 0 {
            Some(&self.fs)
        } else {
            self.outer.len().checked_sub(depth).and_then(|i| self.outer.get(i))
        }
    }

    fn fs_at_mut(&mut self, depth: usize) -> Option<&mut FuncState> {
        if depth == 0 {
            Some(&mut self.fs)
        } else {
            self.outer.len().checked_sub(depth).and_then(|i| self.outer.get_mut(i))
        }
    }

    fn testnext(&mut self, c: Tok) -> R<bool> {
        if self.ls.t.tok == c {
            self.ls.next_token()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn check(&self, c: Tok) -> R<()> {
        if self.ls.t.tok != c {
            return Err(self.error_expected(c));
        }
        Ok(())
    }

    fn checknext(&mut self, c: Tok) -> R<()> {
        self.check(c)?;
        self.ls.next_token()
    }

    fn check_condition(&self, c: bool, msg: &[u8]) -> R<()> {
        if !c {
            return Err(self.ls.syntax_error(msg));
        }
        Ok(())
    }

    fn check_match(&mut self, what: Tok, who: Tok, line: u32) -> R<()> {
        if !self.testnext(what)? {
            if line == self.ls.linenumber {
                return Err(self.error_expected(what));
            }
            let mut msg = vec![b'\''];
            msg.extend_from_slice(&token2str(what));
            msg.extend_from_slice(b"' expected (to close '");
            msg.extend_from_slice(&token2str(who));
            msg.extend_from_slice(format!("' at line {line})").as_bytes());
            return Err(self.ls.syntax_error(&msg));
        }
        Ok(())
    }

    fn str_checkname(&mut self) -> R<Arc<[u8]>> {
        self.check(Tok::Name)?;
        let ts = match &self.ls.t.sem {
            SemInfo::Str(s) => s.clone(),
            _ => Arc::from(&b""[..]),
        };
        self.ls.next_token()?;
        Ok(ts)
    }

    fn codestring(&mut self, s: Arc<[u8]>) -> R<ExpDesc> {
        Ok(ExpDesc::new(ExpKind::K, self.string_k(s)?))
    }

    fn checkname(&mut self) -> R<ExpDesc> {
        let s = self.str_checkname()?;
        self.codestring(s)
    }

    fn registerlocalvar(&mut self, name: Arc<[u8]>) -> R<i32> {
        if self.fs.f.locvars.len() >= i16::MAX as usize {
            return Err(runtime_error("too many local variables"));
        }
        self.fs.f.locvars.push(LocVar { name, startpc: 0, endpc: 0 });
        Ok(self.fs.f.locvars.len() as i32 - 1)
    }

    fn new_localvar(&mut self, name: Arc<[u8]>, n: i32) -> R<()> {
        self.checklimit(self.fs.nactvar + n + 1, LUAI_MAXVARS, "local variables")?;
        let idx = self.registerlocalvar(name)?;
        if let Some(slot) = self.fs.actvar.get_mut((self.fs.nactvar + n) as usize) {
            *slot = idx as u16;
        }
        Ok(())
    }

    fn new_localvar_literal(&mut self, name: &[u8], n: i32) -> R<()> {
        self.new_localvar(Arc::from(name), n)
    }

    fn adjustlocalvars(&mut self, nvars: i32) {
        let fs = &mut self.fs;
        fs.nactvar += nvars;
        let pc = fs.pc() as u32;
        for i in fs.nactvar - nvars..fs.nactvar {
            if let Some(v) = fs.locvar_mut(i) {
                v.startpc = pc;
            }
        }
    }

    fn removevars(&mut self, tolevel: i32) {
        let fs = &mut self.fs;
        let pc = fs.pc() as u32;
        while fs.nactvar > tolevel {
            fs.nactvar -= 1;
            let i = fs.nactvar;
            if let Some(v) = fs.locvar_mut(i) {
                v.endpc = pc;
            }
        }
    }

    fn indexupvalue(&mut self, depth: usize, name: &Arc<[u8]>, v: &ExpDesc) -> R<i32> {
        let Some(fs) = self.fs_at(depth) else { return Ok(0) };
        if let Some(i) = fs.upvalues.iter().position(|&(k, info)| k == v.k && info == v.info) {
            return Ok(i as i32);
        }
        // a new one
        let nups = fs.upvalues.len() as i32;
        if nups + 1 > LUAI_MAXUPVALUES {
            return Err(self.errorlimit(depth, LUAI_MAXUPVALUES, "upvalues"));
        }
        if let Some(fs) = self.fs_at_mut(depth) {
            fs.f.upvalue_names.push(name.clone());
            fs.upvalues.push((v.k, v.info));
            fs.f.nups = fs.upvalues.len() as u8;
        }
        Ok(nups)
    }

    fn singlevaraux(&mut self, depth: usize, n: &Arc<[u8]>, var: &mut ExpDesc, base: bool) -> R<ExpKind> {
        let Some(fs) = self.fs_at_mut(depth) else {
            *var = ExpDesc::new(ExpKind::Global, NO_REG as i32); // default is global
            return Ok(ExpKind::Global);
        };
        let v = fs.searchvar(n);
        if v >= 0 {
            *var = ExpDesc::new(ExpKind::Local, v);
            if !base {
                fs.markupval(v); // the local will be used as an upvalue
            }
            return Ok(ExpKind::Local);
        }
        // not found at this level: try the enclosing one
        if self.singlevaraux(depth + 1, n, var, false)? == ExpKind::Global {
            return Ok(ExpKind::Global);
        }
        var.info = self.indexupvalue(depth, n, var)?;
        var.k = ExpKind::Upval;
        Ok(ExpKind::Upval)
    }

    fn singlevar(&mut self) -> R<ExpDesc> {
        let varname = self.str_checkname()?;
        let mut var = ExpDesc::void();
        if self.singlevaraux(0, &varname, &mut var, true)? == ExpKind::Global {
            var.info = self.string_k(varname)?; // info points to the global's name
        }
        Ok(var)
    }

    fn adjust_assign(&mut self, nvars: i32, nexps: i32, e: &mut ExpDesc) -> R<()> {
        let mut extra = nvars - nexps;
        if e.has_multret() {
            extra += 1; // includes the call itself
            if extra < 0 {
                extra = 0;
            }
            self.setreturns(e, extra)?; // the last expression provides the difference
            if extra > 1 {
                self.reserveregs(extra - 1)?;
            }
        } else {
            if e.k != ExpKind::Void {
                self.exp2nextreg(e)?; // close the last expression
            }
            if extra > 0 {
                let reg = self.fs.freereg;
                self.reserveregs(extra)?;
                self.nil(reg, extra)?;
            }
        }
        Ok(())
    }

    fn enterlevel(&mut self) -> R<()> {
        self.nccalls += 1;
        if self.nccalls > LUAI_MAXCCALLS {
            return Err(self.ls.lex_error(b"chunk has too many syntax levels", None));
        }
        Ok(())
    }

    fn leavelevel(&mut self) {
        self.nccalls -= 1;
    }

    fn enterblock(&mut self, isbreakable: bool) {
        let nactvar = self.fs.nactvar;
        self.fs.bl.push(BlockCnt { breaklist: NO_JUMP, nactvar, upval: false, isbreakable });
    }

    fn leaveblock(&mut self) -> R<()> {
        let Some(bl) = self.fs.bl.pop() else { return Ok(()) };
        self.removevars(bl.nactvar);
        if bl.upval {
            self.code_abc(OpCode::Close, bl.nactvar, 0, 0)?;
        }
        self.fs.freereg = self.fs.nactvar; // free registers
        self.patchtohere(bl.breaklist)
    }

    fn pushclosure(&mut self, func: Proto, upvalues: &[(ExpKind, i32)]) -> R<ExpDesc> {
        if self.fs.f.protos.len() >= MAXARG_BX as usize {
            return Err(runtime_error("constant table overflow"));
        }
        self.fs.f.protos.push(Arc::new(func));
        let np = self.fs.f.protos.len() as i32;
        let v = ExpDesc::new(ExpKind::Relocable, self.code_abx(OpCode::Closure, 0, np - 1)?);
        for &(k, info) in upvalues {
            let o = if k == ExpKind::Local { OpCode::Move } else { OpCode::GetUpval };
            self.code_abc(o, 0, info, 0)?;
        }
        Ok(v)
    }

    fn open_func(&mut self) {
        let fs = FuncState::new(self.ls.source().clone());
        let prev = core::mem::replace(&mut self.fs, fs);
        self.outer.push(prev);
    }

    /// Finishes the current function and makes the enclosing one current;
    /// returns the prototype and what its upvalues capture.
    fn close_func(&mut self) -> R<(Proto, Vec<(ExpKind, i32)>)> {
        self.removevars(0);
        self.ret(0, 0)?; // final return
        let fs = match self.outer.pop() {
            Some(prev) => core::mem::replace(&mut self.fs, prev),
            None => core::mem::replace(&mut self.fs, FuncState::new(self.ls.source().clone())),
        };
        Ok((fs.f, fs.upvalues))
    }

    // GRAMMAR RULES

    fn field(&mut self, v: &mut ExpDesc) -> R<()> {
        // field -> ['.' | ':'] NAME
        self.exp2anyreg(v)?;
        self.ls.next_token()?; // skip the dot or colon
        let mut key = self.checkname()?;
        self.indexed(v, &mut key)
    }

    fn yindex(&mut self) -> R<ExpDesc> {
        // index -> '[' expr ']'
        self.ls.next_token()?; // skip the '['
        let mut v = self.expr()?;
        self.exp2val(&mut v)?;
        self.checknext(Tok::Char(b']'))?;
        Ok(v)
    }

    fn recfield(&mut self, cc: &mut ConsControl) -> R<()> {
        // recfield -> (NAME | `['exp1`]') = exp1
        let reg = self.fs.freereg;
        let mut key = if self.ls.t.tok == Tok::Name {
            self.checklimit(cc.nh, MAX_INT, "items in a constructor")?;
            self.checkname()?
        } else {
            self.yindex()?
        };
        cc.nh += 1;
        self.checknext(Tok::Char(b'='))?;
        let rkkey = self.exp2rk(&mut key)?;
        let mut val = self.expr()?;
        let rkval = self.exp2rk(&mut val)?;
        self.code_abc(OpCode::SetTable, cc.t, rkkey, rkval)?;
        self.fs.freereg = reg; // free registers
        Ok(())
    }

    fn closelistfield(&mut self, cc: &mut ConsControl) -> R<()> {
        if cc.v.k == ExpKind::Void {
            return Ok(()); // there is no list item
        }
        self.exp2nextreg(&mut cc.v)?;
        cc.v.k = ExpKind::Void;
        if cc.tostore == LFIELDS_PER_FLUSH as i32 {
            self.setlist(cc.t, cc.na, cc.tostore)?; // flush
            cc.tostore = 0; // no more items pending
        }
        Ok(())
    }

    fn lastlistfield(&mut self, cc: &mut ConsControl) -> R<()> {
        if cc.tostore == 0 {
            return Ok(());
        }
        if cc.v.has_multret() {
            self.setmultret(&cc.v)?;
            self.setlist(cc.t, cc.na, LUA_MULTRET)?;
            cc.na -= 1; // do not count the last expression (unknown number of elements)
        } else {
            if cc.v.k != ExpKind::Void {
                self.exp2nextreg(&mut cc.v)?;
            }
            self.setlist(cc.t, cc.na, cc.tostore)?;
        }
        Ok(())
    }

    fn listfield(&mut self, cc: &mut ConsControl) -> R<()> {
        cc.v = self.expr()?;
        self.checklimit(cc.na, MAX_INT, "items in a constructor")?;
        cc.na += 1;
        cc.tostore += 1;
        Ok(())
    }

    fn constructor(&mut self) -> R<ExpDesc> {
        let line = self.ls.linenumber;
        let pc = self.code_abc(OpCode::NewTable, 0, 0, 0)?;
        let mut t = ExpDesc::new(ExpKind::Relocable, pc);
        self.exp2nextreg(&mut t)?; // fix it at stack top (for gc)
        let mut cc = ConsControl { v: ExpDesc::void(), t: t.info, nh: 0, na: 0, tostore: 0 };
        self.checknext(Tok::Char(b'{'))?;
        loop {
            if self.ls.t.tok == Tok::Char(b'}') {
                break;
            }
            self.closelistfield(&mut cc)?;
            match self.ls.t.tok {
                Tok::Name => {
                    // may be a list field or a record field
                    self.ls.peek()?;
                    if self.ls.lookahead.tok != Tok::Char(b'=') {
                        self.listfield(&mut cc)?;
                    } else {
                        self.recfield(&mut cc)?;
                    }
                }
                Tok::Char(b'[') => self.recfield(&mut cc)?,
                _ => self.listfield(&mut cc)?,
            }
            if !(self.testnext(Tok::Char(b','))? || self.testnext(Tok::Char(b';'))?) {
                break;
            }
        }
        self.check_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        self.lastlistfield(&mut cc)?;
        let i = self.fs.code_at(pc);
        let i = set_c(set_b(i, int2fb(cc.na as u32)), int2fb(cc.nh as u32));
        self.fs.set_code(pc, i);
        Ok(t)
    }

    fn parlist(&mut self) -> R<()> {
        // parlist -> [ param { `,' param } ]
        let mut nparams = 0;
        self.fs.f.is_vararg = 0;
        if self.ls.t.tok != Tok::Char(b')') {
            loop {
                match self.ls.t.tok {
                    Tok::Name => {
                        let name = self.str_checkname()?;
                        self.new_localvar(name, nparams)?;
                        nparams += 1;
                    }
                    Tok::Dots => {
                        self.ls.next_token()?;
                        // LUA_COMPAT_VARARG: `arg' as the default name
                        self.new_localvar_literal(b"arg", nparams)?;
                        nparams += 1;
                        self.fs.f.is_vararg = VARARG_HASARG | VARARG_NEEDSARG | VARARG_ISVARARG;
                    }
                    _ => return Err(self.ls.syntax_error(b"<name> or '...' expected")),
                }
                if self.fs.f.is_vararg != 0 || !self.testnext(Tok::Char(b','))? {
                    break;
                }
            }
        }
        self.adjustlocalvars(nparams);
        let fs = &mut self.fs;
        fs.f.numparams = (fs.nactvar - i32::from(fs.f.is_vararg & VARARG_HASARG)) as u8;
        let n = fs.nactvar;
        self.reserveregs(n) // reserve registers for the parameters
    }

    fn body(&mut self, needself: bool, line: u32) -> R<ExpDesc> {
        // body ->  `(' parlist `)' chunk END
        self.open_func();
        self.fs.f.linedefined = line;
        self.checknext(Tok::Char(b'('))?;
        if needself {
            self.new_localvar_literal(b"self", 0)?;
            self.adjustlocalvars(1);
        }
        self.parlist()?;
        self.checknext(Tok::Char(b')'))?;
        self.chunk()?;
        self.fs.f.lastlinedefined = self.ls.linenumber;
        self.check_match(Tok::End, Tok::Function, line)?;
        let (f, upvalues) = self.close_func()?;
        self.pushclosure(f, &upvalues)
    }

    /// explist1 -> expr { `,' expr }; returns the number of expressions.
    fn explist1(&mut self, v: &mut ExpDesc) -> R<i32> {
        let mut n = 1;
        *v = self.expr()?;
        while self.testnext(Tok::Char(b','))? {
            self.exp2nextreg(v)?;
            *v = self.expr()?;
            n += 1;
        }
        Ok(n)
    }

    fn funcargs(&mut self, f: &mut ExpDesc) -> R<()> {
        let line = self.ls.linenumber;
        let mut args = match self.ls.t.tok {
            Tok::Char(b'(') => {
                // funcargs -> `(' [ explist1 ] `)'
                if line != self.ls.lastline {
                    return Err(self.ls.syntax_error(b"ambiguous syntax (function call x new statement)"));
                }
                self.ls.next_token()?;
                let mut args = ExpDesc::void();
                if self.ls.t.tok != Tok::Char(b')') {
                    self.explist1(&mut args)?;
                    self.setmultret(&args)?;
                }
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                args
            }
            Tok::Char(b'{') => self.constructor()?,
            Tok::String => {
                let s = match &self.ls.t.sem {
                    SemInfo::Str(s) => s.clone(),
                    _ => Arc::from(&b""[..]),
                };
                let args = self.codestring(s)?;
                self.ls.next_token()?; // must use `seminfo' before `next'
                args
            }
            _ => return Err(self.ls.syntax_error(b"function arguments expected")),
        };
        let base = f.info; // base register for the call
        let nparams = if args.has_multret() {
            LUA_MULTRET // open call
        } else {
            if args.k != ExpKind::Void {
                self.exp2nextreg(&mut args)?; // close the last argument
            }
            self.fs.freereg - (base + 1)
        };
        *f = ExpDesc::new(ExpKind::Call, self.code_abc(OpCode::Call, base, nparams + 1, 2)?);
        self.fixline(line);
        // the call removes the function and arguments and leaves (unless
        // changed) one result
        self.fs.freereg = base + 1;
        Ok(())
    }

    fn prefixexp(&mut self) -> R<ExpDesc> {
        // prefixexp -> NAME | '(' expr ')'
        match self.ls.t.tok {
            Tok::Char(b'(') => {
                let line = self.ls.linenumber;
                self.ls.next_token()?;
                let mut v = self.expr()?;
                self.check_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                self.dischargevars(&mut v)?;
                Ok(v)
            }
            Tok::Name => self.singlevar(),
            _ => Err(self.ls.syntax_error(b"unexpected symbol")),
        }
    }

    fn primaryexp(&mut self) -> R<ExpDesc> {
        // primaryexp -> prefixexp { `.' NAME | `[' exp `]' | `:' NAME funcargs | funcargs }
        let mut v = self.prefixexp()?;
        loop {
            match self.ls.t.tok {
                Tok::Char(b'.') => self.field(&mut v)?,
                Tok::Char(b'[') => {
                    self.exp2anyreg(&mut v)?;
                    let mut key = self.yindex()?;
                    self.indexed(&mut v, &mut key)?;
                }
                Tok::Char(b':') => {
                    self.ls.next_token()?;
                    let mut key = self.checkname()?;
                    self.self_(&mut v, &mut key)?;
                    self.funcargs(&mut v)?;
                }
                Tok::Char(b'(' | b'{') | Tok::String => {
                    self.exp2nextreg(&mut v)?;
                    self.funcargs(&mut v)?;
                }
                _ => return Ok(v),
            }
        }
    }

    fn simpleexp(&mut self) -> R<ExpDesc> {
        // simpleexp -> NUMBER | STRING | NIL | true | false | ... |
        //              constructor | FUNCTION body | primaryexp
        let v = match self.ls.t.tok {
            Tok::Number => {
                let mut v = ExpDesc::new(ExpKind::KNum, 0);
                if let SemInfo::Number(n) = self.ls.t.sem {
                    v.nval = n;
                }
                v
            }
            Tok::String => {
                let s = match &self.ls.t.sem {
                    SemInfo::Str(s) => s.clone(),
                    _ => Arc::from(&b""[..]),
                };
                self.codestring(s)?
            }
            Tok::Nil => ExpDesc::new(ExpKind::Nil, 0),
            Tok::True => ExpDesc::new(ExpKind::True, 0),
            Tok::False => ExpDesc::new(ExpKind::False, 0),
            Tok::Dots => {
                self.check_condition(self.fs.f.is_vararg != 0, b"cannot use '...' outside a vararg function")?;
                self.fs.f.is_vararg &= !VARARG_NEEDSARG; // 'arg' is not needed
                ExpDesc::new(ExpKind::VarArg, self.code_abc(OpCode::VarArg, 0, 1, 0)?)
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.ls.next_token()?;
                let line = self.ls.linenumber;
                return self.body(false, line);
            }
            _ => return self.primaryexp(),
        };
        self.ls.next_token()?;
        Ok(v)
    }

    fn getunopr(tok: Tok) -> Option<UnOpr> {
        match tok {
            Tok::Not => Some(UnOpr::Not),
            Tok::Char(b'-') => Some(UnOpr::Minus),
            Tok::Char(b'#') => Some(UnOpr::Len),
            _ => None,
        }
    }

    fn getbinopr(tok: Tok) -> Option<BinOpr> {
        Some(match tok {
            Tok::Char(b'+') => BinOpr::Add,
            Tok::Char(b'-') => BinOpr::Sub,
            Tok::Char(b'*') => BinOpr::Mul,
            Tok::Char(b'/') => BinOpr::Div,
            Tok::Char(b'%') => BinOpr::Mod,
            Tok::Char(b'^') => BinOpr::Pow,
            Tok::Concat => BinOpr::Concat,
            Tok::Ne => BinOpr::Ne,
            Tok::Eq => BinOpr::Eq,
            Tok::Char(b'<') => BinOpr::Lt,
            Tok::Le => BinOpr::Le,
            Tok::Char(b'>') => BinOpr::Gt,
            Tok::Ge => BinOpr::Ge,
            Tok::And => BinOpr::And,
            Tok::Or => BinOpr::Or,
            _ => return None,
        })
    }

    /// subexpr -> (simpleexp | unop subexpr) { binop subexpr }, where each
    /// binop has a priority higher than `limit`; returns the first operator
    /// not handled.
    fn subexpr(&mut self, v: &mut ExpDesc, limit: u32) -> R<Option<BinOpr>> {
        self.enterlevel()?;
        if let Some(uop) = Self::getunopr(self.ls.t.tok) {
            self.ls.next_token()?;
            self.subexpr(v, UNARY_PRIORITY)?;
            self.prefix(uop, v)?;
        } else {
            *v = self.simpleexp()?;
        }
        // expand while operators have priorities higher than `limit'
        let mut op = Self::getbinopr(self.ls.t.tok);
        while let Some(o) = op {
            let (left, right) = o.priority();
            if left <= limit {
                break;
            }
            self.ls.next_token()?;
            self.infix(o, v)?;
            // read a sub-expression with higher priority
            let mut v2 = ExpDesc::void();
            let nextop = self.subexpr(&mut v2, right)?;
            self.posfix(o, v, &mut v2)?;
            op = nextop;
        }
        self.leavelevel();
        Ok(op)
    }

    fn expr(&mut self) -> R<ExpDesc> {
        let mut v = ExpDesc::void();
        self.subexpr(&mut v, 0)?;
        Ok(v)
    }

    // Statements

    fn block_follow(tok: Tok) -> bool {
        matches!(tok, Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos)
    }

    fn block(&mut self) -> R<()> {
        self.enterblock(false);
        self.chunk()?;
        self.leaveblock()
    }

    /// In an assignment to a local, a previous target indexing a table with
    /// that local must use a copy of its old value.
    fn check_conflict(&mut self, lh: &mut [ExpDesc], v: &ExpDesc) -> R<()> {
        let extra = self.fs.freereg; // eventual position to save the local
        let mut conflict = false;
        for l in lh.iter_mut() {
            if l.k == ExpKind::Indexed {
                if l.info == v.info {
                    conflict = true;
                    l.info = extra; // the previous assignment uses the copy
                }
                if l.aux == v.info {
                    conflict = true;
                    l.aux = extra;
                }
            }
        }
        if conflict {
            let reg = self.fs.freereg;
            self.code_abc(OpCode::Move, reg, v.info, 0)?; // make the copy
            self.reserveregs(1)?;
        }
        Ok(())
    }

    /// The targets are `lh[..nvars]`; this level assigns `lh[nvars - 1]`.
    fn assignment(&mut self, lh: &mut Vec<ExpDesc>, nvars: i32) -> R<()> {
        let me = (nvars - 1) as usize;
        let k = lh.get(me).map_or(ExpKind::Void, |e| e.k);
        self.check_condition((ExpKind::Local..=ExpKind::Indexed).contains(&k), b"syntax error")?;
        let mut e = ExpDesc::void();
        if self.testnext(Tok::Char(b','))? {
            // assignment -> `,' primaryexp assignment
            let nv = self.primaryexp()?;
            if nv.k == ExpKind::Local {
                self.check_conflict(lh, &nv)?;
            }
            self.checklimit(nvars, LUAI_MAXCCALLS as i32 - self.nccalls as i32, "variables in assignment")?;
            lh.push(nv);
            self.assignment(lh, nvars + 1)?;
        } else {
            // assignment -> `=' explist1
            self.checknext(Tok::Char(b'='))?;
            let nexps = self.explist1(&mut e)?;
            if nexps != nvars {
                self.adjust_assign(nvars, nexps, &mut e)?;
                if nexps > nvars {
                    self.fs.freereg -= nexps - nvars; // remove extra values
                }
            } else {
                self.setoneret(&mut e); // close the last expression
                let var = lh.get(me).copied().unwrap_or(ExpDesc::void());
                return self.storevar(&var, &mut e);
            }
        }
        // default assignment
        let mut e = ExpDesc::new(ExpKind::NonReloc, self.fs.freereg - 1);
        let var = lh.get(me).copied().unwrap_or(ExpDesc::void());
        self.storevar(&var, &mut e)
    }

    fn cond(&mut self) -> R<i32> {
        // cond -> exp
        let mut v = self.expr()?;
        if v.k == ExpKind::Nil {
            v.k = ExpKind::False; // `falses' are all equal here
        }
        self.goiftrue(&mut v)?;
        Ok(v.f)
    }

    fn breakstat(&mut self) -> R<()> {
        let mut upval = false;
        let mut found = None;
        for (i, bl) in self.fs.bl.iter().enumerate().rev() {
            if bl.isbreakable {
                found = Some(i);
                break;
            }
            upval |= bl.upval;
        }
        let Some(i) = found else {
            return Err(self.ls.syntax_error(b"no loop to break"));
        };
        let (nactvar, breaklist) = match self.fs.bl.get(i) {
            Some(bl) => (bl.nactvar, bl.breaklist),
            None => return Ok(()),
        };
        if upval {
            self.code_abc(OpCode::Close, nactvar, 0, 0)?;
        }
        let j = self.jump()?;
        let l = self.concat(breaklist, j)?;
        if let Some(bl) = self.fs.bl.get_mut(i) {
            bl.breaklist = l;
        }
        Ok(())
    }

    fn whilestat(&mut self, line: u32) -> R<()> {
        // whilestat -> WHILE cond DO block END
        self.ls.next_token()?; // skip WHILE
        let whileinit = self.getlabel();
        let condexit = self.cond()?;
        self.enterblock(true);
        self.checknext(Tok::Do)?;
        self.block()?;
        let j = self.jump()?;
        self.patchlist(j, whileinit)?;
        self.check_match(Tok::End, Tok::While, line)?;
        self.leaveblock()?;
        self.patchtohere(condexit) // false conditions finish the loop
    }

    fn repeatstat(&mut self, line: u32) -> R<()> {
        // repeatstat -> REPEAT block UNTIL cond
        let repeat_init = self.getlabel();
        self.enterblock(true); // loop block
        self.enterblock(false); // scope block
        self.ls.next_token()?; // skip REPEAT
        self.chunk()?;
        self.check_match(Tok::Until, Tok::Repeat, line)?;
        let condexit = self.cond()?; // read the condition (inside the scope block)
        if !self.fs.bl.last().is_some_and(|bl| bl.upval) {
            // no upvalues
            self.leaveblock()?; // finish scope
            self.patchlist(condexit, repeat_init)?; // close the loop
        } else {
            // complete semantics when there are upvalues
            self.breakstat()?; // if condition then break
            self.patchtohere(condexit)?; // else...
            self.leaveblock()?; // finish scope...
            let j = self.jump()?;
            self.patchlist(j, repeat_init)?; // and repeat
        }
        self.leaveblock() // finish loop
    }

    fn exp1(&mut self) -> R<ExpKind> {
        let mut e = self.expr()?;
        let k = e.k;
        self.exp2nextreg(&mut e)?;
        Ok(k)
    }

    fn forbody(&mut self, base: i32, line: u32, nvars: i32, isnum: bool) -> R<()> {
        // forbody -> DO block
        self.adjustlocalvars(3); // control variables
        self.checknext(Tok::Do)?;
        let prep = if isnum { self.code_asbx(OpCode::ForPrep, base, NO_JUMP)? } else { self.jump()? };
        self.enterblock(false); // scope for declared variables
        self.adjustlocalvars(nvars);
        self.reserveregs(nvars)?;
        self.block()?;
        self.leaveblock()?; // end of scope for declared variables
        self.patchtohere(prep)?;
        let endfor = if isnum {
            self.code_asbx(OpCode::ForLoop, base, NO_JUMP)?
        } else {
            self.code_abc(OpCode::TForLoop, base, 0, nvars)?
        };
        self.fixline(line); // pretend that `OP_FOR' starts the loop
        let l = if isnum { endfor } else { self.jump()? };
        self.patchlist(l, prep + 1)
    }

    fn fornum(&mut self, varname: Arc<[u8]>, line: u32) -> R<()> {
        // fornum -> NAME = exp1,exp1[,exp1] forbody
        let base = self.fs.freereg;
        self.new_localvar_literal(b"(for index)", 0)?;
        self.new_localvar_literal(b"(for limit)", 1)?;
        self.new_localvar_literal(b"(for step)", 2)?;
        self.new_localvar(varname, 3)?;
        self.checknext(Tok::Char(b'='))?;
        self.exp1()?; // initial value
        self.checknext(Tok::Char(b','))?;
        self.exp1()?; // limit
        if self.testnext(Tok::Char(b','))? {
            self.exp1()?; // optional step
        } else {
            // default step = 1
            let reg = self.fs.freereg;
            let k = self.number_k(1.0)?;
            self.code_abx(OpCode::LoadK, reg, k)?;
            self.reserveregs(1)?;
        }
        self.forbody(base, line, 1, true)
    }

    fn forlist(&mut self, indexname: Arc<[u8]>) -> R<()> {
        // forlist -> NAME {,NAME} IN explist1 forbody
        let base = self.fs.freereg;
        // create control variables
        self.new_localvar_literal(b"(for generator)", 0)?;
        self.new_localvar_literal(b"(for state)", 1)?;
        self.new_localvar_literal(b"(for control)", 2)?;
        // create declared variables
        self.new_localvar(indexname, 3)?;
        let mut nvars = 4;
        while self.testnext(Tok::Char(b','))? {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
        }
        self.checknext(Tok::In)?;
        let line = self.ls.linenumber;
        let mut e = ExpDesc::void();
        let n = self.explist1(&mut e)?;
        self.adjust_assign(3, n, &mut e)?;
        self.checkstack(3)?; // extra space to call the generator
        self.forbody(base, line, nvars - 3, false)
    }

    fn forstat(&mut self, line: u32) -> R<()> {
        // forstat -> FOR (fornum | forlist) END
        self.enterblock(true); // scope for loop and control variables
        self.ls.next_token()?; // skip `for'
        let varname = self.str_checkname()?; // first variable name
        match self.ls.t.tok {
            Tok::Char(b'=') => self.fornum(varname, line)?,
            Tok::Char(b',') | Tok::In => self.forlist(varname)?,
            _ => return Err(self.ls.syntax_error(b"'=' or 'in' expected")),
        }
        self.check_match(Tok::End, Tok::For, line)?;
        self.leaveblock() // loop scope (`break' jumps to this point)
    }

    fn test_then_block(&mut self) -> R<i32> {
        // test_then_block -> [IF | ELSEIF] cond THEN block
        self.ls.next_token()?; // skip IF or ELSEIF
        let condexit = self.cond()?;
        self.checknext(Tok::Then)?;
        self.block()?; // `then' part
        Ok(condexit)
    }

    fn ifstat(&mut self, line: u32) -> R<()> {
        // ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END
        let mut escapelist = NO_JUMP;
        let mut flist = self.test_then_block()?;
        while self.ls.t.tok == Tok::Elseif {
            let j = self.jump()?;
            escapelist = self.concat(escapelist, j)?;
            self.patchtohere(flist)?;
            flist = self.test_then_block()?;
        }
        if self.ls.t.tok == Tok::Else {
            let j = self.jump()?;
            escapelist = self.concat(escapelist, j)?;
            self.patchtohere(flist)?;
            self.ls.next_token()?; // skip ELSE (after patch, for correct line info)
            self.block()?; // `else' part
        } else {
            escapelist = self.concat(escapelist, flist)?;
        }
        self.patchtohere(escapelist)?;
        self.check_match(Tok::End, Tok::If, line)
    }

    fn localfunc(&mut self) -> R<()> {
        let name = self.str_checkname()?;
        self.new_localvar(name, 0)?;
        let v = ExpDesc::new(ExpKind::Local, self.fs.freereg);
        self.reserveregs(1)?;
        self.adjustlocalvars(1);
        let line = self.ls.linenumber;
        let mut b = self.body(false, line)?;
        self.storevar(&v, &mut b)?;
        // debug information will only see the variable after this point!
        let pc = self.fs.pc() as u32;
        let last = self.fs.nactvar - 1;
        if let Some(lv) = self.fs.locvar_mut(last) {
            lv.startpc = pc;
        }
        Ok(())
    }

    fn localstat(&mut self) -> R<()> {
        // stat -> LOCAL NAME {`,' NAME} [`=' explist1]
        let mut nvars = 0;
        loop {
            let name = self.str_checkname()?;
            self.new_localvar(name, nvars)?;
            nvars += 1;
            if !self.testnext(Tok::Char(b','))? {
                break;
            }
        }
        let mut e = ExpDesc::void();
        let nexps = if self.testnext(Tok::Char(b'='))? { self.explist1(&mut e)? } else { 0 };
        self.adjust_assign(nvars, nexps, &mut e)?;
        self.adjustlocalvars(nvars);
        Ok(())
    }

    fn funcname(&mut self, v: &mut ExpDesc) -> R<bool> {
        // funcname -> NAME {field} [`:' NAME]
        *v = self.singlevar()?;
        while self.ls.t.tok == Tok::Char(b'.') {
            self.field(v)?;
        }
        if self.ls.t.tok == Tok::Char(b':') {
            self.field(v)?;
            return Ok(true);
        }
        Ok(false)
    }

    fn funcstat(&mut self, line: u32) -> R<()> {
        // funcstat -> FUNCTION funcname body
        self.ls.next_token()?; // skip FUNCTION
        let mut v = ExpDesc::void();
        let needself = self.funcname(&mut v)?;
        let mut b = self.body(needself, line)?;
        self.storevar(&v, &mut b)?;
        self.fixline(line); // the definition `happens' in the first line
        Ok(())
    }

    fn exprstat(&mut self) -> R<()> {
        // stat -> func | assignment
        let v = self.primaryexp()?;
        if v.k == ExpKind::Call {
            // a call statement uses no results
            let i = self.fs.code_at(v.info);
            self.fs.set_code(v.info, set_c(i, 1));
            Ok(())
        } else {
            let mut lh = vec![v];
            self.assignment(&mut lh, 1)
        }
    }

    fn retstat(&mut self) -> R<()> {
        // stat -> RETURN explist
        self.ls.next_token()?; // skip RETURN
        let (first, nret);
        if Self::block_follow(self.ls.t.tok) || self.ls.t.tok == Tok::Char(b';') {
            first = 0; // return no values
            nret = 0;
        } else {
            let mut e = ExpDesc::void();
            let n = self.explist1(&mut e)?;
            if e.has_multret() {
                self.setmultret(&e)?;
                if e.k == ExpKind::Call && n == 1 {
                    // a tail call
                    let i = self.fs.code_at(e.info);
                    self.fs.set_code(e.info, set_op(i, OpCode::TailCall));
                }
                first = self.fs.nactvar;
                nret = LUA_MULTRET; // return all values
            } else if n == 1 {
                first = self.exp2anyreg(&mut e)?; // only one single value
                nret = 1;
            } else {
                self.exp2nextreg(&mut e)?; // values must go to the `stack'
                first = self.fs.nactvar; // return all `active' values
                nret = n;
            }
        }
        self.ret(first, nret)
    }

    /// Compiles one statement; true if it must be the block's last.
    fn statement(&mut self) -> R<bool> {
        let line = self.ls.linenumber; // may be needed for error messages
        match self.ls.t.tok {
            Tok::If => self.ifstat(line).map(|_| false),
            Tok::While => self.whilestat(line).map(|_| false),
            Tok::Do => {
                self.ls.next_token()?; // skip DO
                self.block()?;
                self.check_match(Tok::End, Tok::Do, line)?;
                Ok(false)
            }
            Tok::For => self.forstat(line).map(|_| false),
            Tok::Repeat => self.repeatstat(line).map(|_| false),
            Tok::Function => self.funcstat(line).map(|_| false),
            Tok::Local => {
                self.ls.next_token()?; // skip LOCAL
                if self.testnext(Tok::Function)? {
                    self.localfunc()?;
                } else {
                    self.localstat()?;
                }
                Ok(false)
            }
            Tok::Return => self.retstat().map(|_| true),
            Tok::Break => {
                self.ls.next_token()?; // skip BREAK
                self.breakstat()?;
                Ok(true)
            }
            _ => self.exprstat().map(|_| false),
        }
    }

    fn chunk(&mut self) -> R<()> {
        // chunk -> { stat [`;'] }
        self.enterlevel()?;
        let mut islast = false;
        while !islast && !Self::block_follow(self.ls.t.tok) {
            islast = self.statement()?;
            self.testnext(Tok::Char(b';'))?;
            self.fs.freereg = self.fs.nactvar; // free registers
        }
        self.leavelevel();
        Ok(())
    }
}

/// The state of a table constructor being compiled.
struct ConsControl {
    /// The last list item read.
    v: ExpDesc,
    /// The table's register.
    t: i32,
    /// Number of record fields.
    nh: i32,
    /// Number of array items.
    na: i32,
    /// Array items pending a SETLIST.
    tostore: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_a_small_chunk() {
        let p = compile(b"local a = 1 return a + 2", b"=t").unwrap();
        assert_eq!(p.code.len(), 4);
        assert_eq!(p.maxstacksize, 2);
        let e = compile(b"x =", b"=t").unwrap_err();
        assert_eq!(e.message, b"t:1: unexpected symbol near '<eof>'");
    }

    #[test]
    fn chunk_name_ends_at_nul() {
        let p = compile(b"return", b"=a\0b").unwrap();
        assert_eq!(&*p.source, b"=a");
    }

    #[test]
    fn nesting_limit_counts_from_the_callers_depth() {
        // Redis loads scripts from C (depth 0): 198 parentheses compile,
        // 199 do not (checked with redis-server 7.0.15's EVAL).
        let parens = |n: usize| alloc::format!("return {}1{}", "(".repeat(n), ")".repeat(n));
        assert!(compile(parens(198).as_bytes(), b"@user_script").is_ok());
        let e = compile(parens(199).as_bytes(), b"@user_script").unwrap_err();
        assert_eq!(e.message, b"user_script:1: chunk has too many syntax levels");
        // luac loads at depth 1, a Lua script's loadstring at depth 2.
        assert!(compile_at_depth(parens(198).as_bytes(), b"=x", 1).is_err());
        assert!(compile_at_depth(parens(196).as_bytes(), b"=x", 2).is_ok());
        assert!(compile_at_depth(parens(197).as_bytes(), b"=x", 2).is_err());
    }
}
