//! Function prototypes and Lua 5.1's instruction encoding (lopcodes.h,
//! lopcodes.c, lobject.h's `Proto`, luaO_chunkid).
//!
//! This module is the contract between the compiler (lex.rs, parse.rs) and the
//! runtime (vm.rs): both read the same 32-bit instructions, laid out exactly as
//! in Lua 5.1.5 so that the 5.1 manuals, `luac -l` listings and ChunkSpy-style
//! tools describe our bytecode too.
//!
//! Encoding (least significant bit first): OP 6 bits, A 8 bits, C 9 bits,
//! B 9 bits; Bx is C and B together (18 bits) and sBx is Bx minus
//! [`MAXARG_SBX`]. In B and C, bit 8 ([`BITRK`]) marks a constant index
//! ("RK" operands).
//!
//! Invariants of a [`Proto`] produced by [`crate::parse::compile`]:
//! `lineinfo.len() == code.len()`; every register operand is below
//! `maxstacksize`; constant and prototype indices are in range; jumps land
//! inside `code`; the last instruction is a `RETURN`. The runtime must still
//! not panic on a hand-built `Proto` that breaks them (the fields are public),
//! which is why [`get_op`] returns an `Option`.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

/// One VM instruction, encoded as in Lua 5.1 (see the module docs).
pub type Instruction = u32;

/// Width of the C operand.
pub const SIZE_C: u32 = 9;
/// Width of the B operand.
pub const SIZE_B: u32 = 9;
/// Width of the Bx operand (B and C together).
pub const SIZE_BX: u32 = SIZE_C + SIZE_B;
/// Width of the A operand.
pub const SIZE_A: u32 = 8;
/// Width of the opcode.
pub const SIZE_OP: u32 = 6;
/// Bit position of the opcode.
pub const POS_OP: u32 = 0;
/// Bit position of A.
pub const POS_A: u32 = POS_OP + SIZE_OP;
/// Bit position of C.
pub const POS_C: u32 = POS_A + SIZE_A;
/// Bit position of B.
pub const POS_B: u32 = POS_C + SIZE_C;
/// Bit position of Bx.
pub const POS_BX: u32 = POS_C;
/// Largest Bx.
pub const MAXARG_BX: u32 = (1 << SIZE_BX) - 1;
/// Largest sBx magnitude; sBx is stored as `Bx - MAXARG_SBX` ("excess K").
pub const MAXARG_SBX: i32 = (MAXARG_BX >> 1) as i32;
/// Largest A.
pub const MAXARG_A: u32 = (1 << SIZE_A) - 1;
/// Largest B.
pub const MAXARG_B: u32 = (1 << SIZE_B) - 1;
/// Largest C.
pub const MAXARG_C: u32 = (1 << SIZE_C) - 1;
/// Bit of a B or C operand that marks a constant index (RK operands).
pub const BITRK: u32 = 1 << (SIZE_B - 1);
/// Largest constant index an RK operand can name.
pub const MAXINDEXRK: u32 = BITRK - 1;
/// "No register": an invalid register that still fits in A.
pub const NO_REG: u32 = MAXARG_A;
/// Array items a table constructor accumulates before one `SETLIST`.
pub const LFIELDS_PER_FLUSH: u32 = 50;
/// `is_vararg` bit: the function has the 5.0-compatible `arg` parameter.
pub const VARARG_HASARG: u8 = 1;
/// `is_vararg` bit: the function is declared with `...`.
pub const VARARG_ISVARARG: u8 = 2;
/// `is_vararg` bit: the function needs `arg` (it never uses `...`).
pub const VARARG_NEEDSARG: u8 = 4;
/// Size of the buffer luaO_chunkid fills for runtime errors (LUA_IDSIZE).
pub const LUA_IDSIZE: usize = 60;

/// The 38 opcodes of Lua 5.1, numbered as in lopcodes.h ("ORDER OP").
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum OpCode {
    /// `R(A) := R(B)`
    Move = 0,
    /// `R(A) := Kst(Bx)`
    LoadK,
    /// `R(A) := (Bool)B; if (C) pc++`
    LoadBool,
    /// `R(A) := ... := R(B) := nil`
    LoadNil,
    /// `R(A) := UpValue[B]`
    GetUpval,
    /// `R(A) := Gbl[Kst(Bx)]`
    GetGlobal,
    /// `R(A) := R(B)[RK(C)]`
    GetTable,
    /// `Gbl[Kst(Bx)] := R(A)`
    SetGlobal,
    /// `UpValue[B] := R(A)`
    SetUpval,
    /// `R(A)[RK(B)] := RK(C)`
    SetTable,
    /// `R(A) := {} (size = B,C)` (sizes as "floating point bytes")
    NewTable,
    /// `R(A+1) := R(B); R(A) := R(B)[RK(C)]`
    Self_,
    /// `R(A) := RK(B) + RK(C)`
    Add,
    /// `R(A) := RK(B) - RK(C)`
    Sub,
    /// `R(A) := RK(B) * RK(C)`
    Mul,
    /// `R(A) := RK(B) / RK(C)`
    Div,
    /// `R(A) := RK(B) % RK(C)`
    Mod,
    /// `R(A) := RK(B) ^ RK(C)`
    Pow,
    /// `R(A) := -R(B)`
    Unm,
    /// `R(A) := not R(B)`
    Not,
    /// `R(A) := length of R(B)`
    Len,
    /// `R(A) := R(B).. ... ..R(C)`
    Concat,
    /// `pc += sBx`
    Jmp,
    /// `if ((RK(B) == RK(C)) ~= A) then pc++`
    Eq,
    /// `if ((RK(B) < RK(C)) ~= A) then pc++`
    Lt,
    /// `if ((RK(B) <= RK(C)) ~= A) then pc++`
    Le,
    /// `if not (R(A) <=> C) then pc++`
    Test,
    /// `if (R(B) <=> C) then R(A) := R(B) else pc++`
    TestSet,
    /// `R(A), ... ,R(A+C-2) := R(A)(R(A+1), ... ,R(A+B-1))`
    Call,
    /// `return R(A)(R(A+1), ... ,R(A+B-1))`
    TailCall,
    /// `return R(A), ... ,R(A+B-2)`
    Return,
    /// `R(A) += R(A+2); if R(A) <?= R(A+1) then { pc += sBx; R(A+3) = R(A) }`
    ForLoop,
    /// `R(A) -= R(A+2); pc += sBx`
    ForPrep,
    /// `R(A+3), ... ,R(A+2+C) := R(A)(R(A+1), R(A+2)); if R(A+3) ~= nil then R(A+2) = R(A+3) else pc++`
    TForLoop,
    /// `R(A)[(C-1)*FPF+i] := R(A+i), 1 <= i <= B` (C == 0: the next instruction is C)
    SetList,
    /// close all upvalues of registers `>= R(A)`
    Close,
    /// `R(A) := closure(KPROTO[Bx], R(A), ... ,R(A+n))`
    Closure,
    /// `R(A), R(A+1), ..., R(A+B-1) = vararg`
    VarArg,
}

/// Number of opcodes.
pub const NUM_OPCODES: usize = 38;

/// All opcodes in numbering order, for decoding.
const OPCODES: [OpCode; NUM_OPCODES] = [
    OpCode::Move,
    OpCode::LoadK,
    OpCode::LoadBool,
    OpCode::LoadNil,
    OpCode::GetUpval,
    OpCode::GetGlobal,
    OpCode::GetTable,
    OpCode::SetGlobal,
    OpCode::SetUpval,
    OpCode::SetTable,
    OpCode::NewTable,
    OpCode::Self_,
    OpCode::Add,
    OpCode::Sub,
    OpCode::Mul,
    OpCode::Div,
    OpCode::Mod,
    OpCode::Pow,
    OpCode::Unm,
    OpCode::Not,
    OpCode::Len,
    OpCode::Concat,
    OpCode::Jmp,
    OpCode::Eq,
    OpCode::Lt,
    OpCode::Le,
    OpCode::Test,
    OpCode::TestSet,
    OpCode::Call,
    OpCode::TailCall,
    OpCode::Return,
    OpCode::ForLoop,
    OpCode::ForPrep,
    OpCode::TForLoop,
    OpCode::SetList,
    OpCode::Close,
    OpCode::Closure,
    OpCode::VarArg,
];

/// The names luac prints (luaP_opnames).
const OPNAMES: [&str; NUM_OPCODES] = [
    "MOVE", "LOADK", "LOADBOOL", "LOADNIL", "GETUPVAL", "GETGLOBAL", "GETTABLE", "SETGLOBAL",
    "SETUPVAL", "SETTABLE", "NEWTABLE", "SELF", "ADD", "SUB", "MUL", "DIV", "MOD", "POW", "UNM",
    "NOT", "LEN", "CONCAT", "JMP", "EQ", "LT", "LE", "TEST", "TESTSET", "CALL", "TAILCALL",
    "RETURN", "FORLOOP", "FORPREP", "TFORLOOP", "SETLIST", "CLOSE", "CLOSURE", "VARARG",
];

/// Instruction format of an opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpMode {
    /// A, B and C operands.
    ABC,
    /// A and an unsigned Bx.
    ABx,
    /// A and a signed sBx.
    AsBx,
}

/// How an opcode uses its B or C operand (lopcodes.h's OpArgMask).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpArgMode {
    /// Not used.
    N,
    /// Used as a plain number.
    U,
    /// A register or a jump offset.
    R,
    /// A constant or register/constant (RK).
    K,
}

/// luaP_opmodes: (is a test, sets A, B mode, C mode, format).
const OPMODES: [(bool, bool, OpArgMode, OpArgMode, OpMode); NUM_OPCODES] = {
    use OpArgMode::{K, N, R, U};
    use OpMode::{ABx, AsBx, ABC};
    [
        (false, true, R, N, ABC),   // MOVE
        (false, true, K, N, ABx),   // LOADK
        (false, true, U, U, ABC),   // LOADBOOL
        (false, true, R, N, ABC),   // LOADNIL
        (false, true, U, N, ABC),   // GETUPVAL
        (false, true, K, N, ABx),   // GETGLOBAL
        (false, true, R, K, ABC),   // GETTABLE
        (false, false, K, N, ABx),  // SETGLOBAL
        (false, false, U, N, ABC),  // SETUPVAL
        (false, false, K, K, ABC),  // SETTABLE
        (false, true, U, U, ABC),   // NEWTABLE
        (false, true, R, K, ABC),   // SELF
        (false, true, K, K, ABC),   // ADD
        (false, true, K, K, ABC),   // SUB
        (false, true, K, K, ABC),   // MUL
        (false, true, K, K, ABC),   // DIV
        (false, true, K, K, ABC),   // MOD
        (false, true, K, K, ABC),   // POW
        (false, true, R, N, ABC),   // UNM
        (false, true, R, N, ABC),   // NOT
        (false, true, R, N, ABC),   // LEN
        (false, true, R, R, ABC),   // CONCAT
        (false, false, R, N, AsBx), // JMP
        (true, false, K, K, ABC),   // EQ
        (true, false, K, K, ABC),   // LT
        (true, false, K, K, ABC),   // LE
        (true, true, R, U, ABC),    // TEST
        (true, true, R, U, ABC),    // TESTSET
        (false, true, U, U, ABC),   // CALL
        (false, true, U, U, ABC),   // TAILCALL
        (false, false, U, N, ABC),  // RETURN
        (false, true, R, N, AsBx),  // FORLOOP
        (false, true, R, N, AsBx),  // FORPREP
        (true, false, N, U, ABC),   // TFORLOOP
        (false, false, U, U, ABC),  // SETLIST
        (false, false, N, N, ABC),  // CLOSE
        (false, true, U, N, ABx),   // CLOSURE
        (false, true, U, N, ABC),   // VARARG
    ]
};

impl OpCode {
    /// The opcode numbered `n`, if there is one.
    pub fn from_u8(n: u8) -> Option<OpCode> {
        OPCODES.get(usize::from(n)).copied()
    }

    /// The name luac prints for it ("MOVE", "LOADK", ...).
    pub fn name(self) -> &'static str {
        OPNAMES[self as usize]
    }

    /// Its instruction format.
    pub fn mode(self) -> OpMode {
        OPMODES[self as usize].4
    }

    /// How it uses B.
    pub fn b_mode(self) -> OpArgMode {
        OPMODES[self as usize].2
    }

    /// How it uses C.
    pub fn c_mode(self) -> OpArgMode {
        OPMODES[self as usize].3
    }

    /// Whether it writes register A.
    pub fn sets_a(self) -> bool {
        OPMODES[self as usize].1
    }

    /// Whether it is a test (the next instruction is a jump it may skip).
    pub fn is_test(self) -> bool {
        OPMODES[self as usize].0
    }
}

/// The opcode of `i`; `None` for the 26 unused opcode numbers (only a
/// hand-built `Proto` can contain them).
#[inline]
pub fn get_op(i: Instruction) -> Option<OpCode> {
    OpCode::from_u8((i & ((1 << SIZE_OP) - 1)) as u8)
}

/// Operand A.
#[inline]
pub fn get_a(i: Instruction) -> usize {
    ((i >> POS_A) & MAXARG_A) as usize
}

/// Operand B.
#[inline]
pub fn get_b(i: Instruction) -> usize {
    ((i >> POS_B) & MAXARG_B) as usize
}

/// Operand C.
#[inline]
pub fn get_c(i: Instruction) -> usize {
    ((i >> POS_C) & MAXARG_C) as usize
}

/// Operand Bx.
#[inline]
pub fn get_bx(i: Instruction) -> usize {
    ((i >> POS_BX) & MAXARG_BX) as usize
}

/// Operand sBx (a jump offset, relative to the next instruction).
#[inline]
pub fn get_sbx(i: Instruction) -> i32 {
    ((i >> POS_BX) & MAXARG_BX) as i32 - MAXARG_SBX
}

/// Builds an A B C instruction; operands are masked to their widths.
#[inline]
pub fn create_abc(op: OpCode, a: u32, b: u32, c: u32) -> Instruction {
    (op as u32) << POS_OP
        | (a & MAXARG_A) << POS_A
        | (b & MAXARG_B) << POS_B
        | (c & MAXARG_C) << POS_C
}

/// Builds an A Bx instruction; operands are masked to their widths.
#[inline]
pub fn create_abx(op: OpCode, a: u32, bx: u32) -> Instruction {
    (op as u32) << POS_OP | (a & MAXARG_A) << POS_A | (bx & MAXARG_BX) << POS_BX
}

/// Builds an A sBx instruction (`sbx` within `-MAXARG_SBX..=MAXARG_SBX+1`).
#[inline]
pub fn create_asbx(op: OpCode, a: u32, sbx: i32) -> Instruction {
    create_abx(op, a, (sbx + MAXARG_SBX) as u32)
}

/// `i` with its opcode replaced.
#[inline]
pub fn set_op(i: Instruction, op: OpCode) -> Instruction {
    (i & !((1 << SIZE_OP) - 1)) | op as u32
}

/// `i` with operand A replaced.
#[inline]
pub fn set_a(i: Instruction, a: u32) -> Instruction {
    (i & !(MAXARG_A << POS_A)) | (a & MAXARG_A) << POS_A
}

/// `i` with operand B replaced.
#[inline]
pub fn set_b(i: Instruction, b: u32) -> Instruction {
    (i & !(MAXARG_B << POS_B)) | (b & MAXARG_B) << POS_B
}

/// `i` with operand C replaced.
#[inline]
pub fn set_c(i: Instruction, c: u32) -> Instruction {
    (i & !(MAXARG_C << POS_C)) | (c & MAXARG_C) << POS_C
}

/// `i` with operand Bx replaced.
#[inline]
pub fn set_bx(i: Instruction, bx: u32) -> Instruction {
    (i & !(MAXARG_BX << POS_BX)) | (bx & MAXARG_BX) << POS_BX
}

/// `i` with operand sBx replaced.
#[inline]
pub fn set_sbx(i: Instruction, sbx: i32) -> Instruction {
    set_bx(i, (sbx + MAXARG_SBX) as u32)
}

/// Whether an RK operand names a constant.
#[inline]
pub fn is_k(x: usize) -> bool {
    x & BITRK as usize != 0
}

/// The constant index an RK operand names (when [`is_k`]).
#[inline]
pub fn index_k(x: usize) -> usize {
    x & !(BITRK as usize)
}

/// A constant index as an RK operand.
#[inline]
pub fn rk_as_k(x: u32) -> u32 {
    x | BITRK
}

/// A constant of a function: what `LOADK`, `GETGLOBAL` and RK operands name.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `nil` (only as an RK operand, e.g. `x == nil`).
    Nil,
    /// `true` or `false` (only as an RK operand).
    Boolean(bool),
    /// A number (never NaN: the compiler does not fold to NaN).
    Number(f64),
    /// A string's bytes.
    String(Arc<[u8]>),
}

/// Debug information about one local variable: its name and the range of
/// instructions (`startpc..endpc`, 0-based) where it is active.
#[derive(Clone, Debug, PartialEq)]
pub struct LocVar {
    /// Its name, e.g. `b"x"` or `b"(for index)"`.
    pub name: Arc<[u8]>,
    /// First instruction where it is active.
    pub startpc: u32,
    /// First instruction where it is dead.
    pub endpc: u32,
}

/// A compiled function (lobject.h's `Proto`).
#[derive(Clone, Debug, PartialEq)]
pub struct Proto {
    /// The instructions.
    pub code: Vec<Instruction>,
    /// The constants, indexed by Bx and RK operands.
    pub constants: Vec<Constant>,
    /// Nested functions, indexed by `CLOSURE`'s Bx.
    pub protos: Vec<Arc<Proto>>,
    /// Source line of each instruction.
    pub lineinfo: Vec<u32>,
    /// Local variables in declaration order (registers are not recorded:
    /// the active ones at a pc occupy registers 0, 1, ... in this order).
    pub locvars: Vec<LocVar>,
    /// Names of the upvalues, `nups` of them.
    pub upvalue_names: Vec<Arc<[u8]>>,
    /// The chunk name as given to `compile`, e.g. `b"@user_script"` or `b"=x"`.
    pub source: Arc<[u8]>,
    /// Line of `function` (0 for the main chunk).
    pub linedefined: u32,
    /// Line of the closing `end` (0 for the main chunk).
    pub lastlinedefined: u32,
    /// Number of upvalues.
    pub nups: u8,
    /// Number of fixed parameters (including `self`).
    pub numparams: u8,
    /// [`VARARG_HASARG`] | [`VARARG_ISVARARG`] | [`VARARG_NEEDSARG`].
    pub is_vararg: u8,
    /// Registers the function needs.
    pub maxstacksize: u8,
}

/// A compile (syntax or limit) error with Lua's exact message, e.g.
/// `user_script:1: '=' expected near 'x'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// The full message bytes.
    pub message: Vec<u8>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.message.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for CompileError {}

/// luaO_chunkid with LUA_IDSIZE (60), as runtime error positions use it:
/// `=name` gives `name`, `@file` gives `file` (its tail after `...` when
/// long), anything else `[string "first line..."]`.
///
/// ```
/// use redlet_lua::proto::chunk_id;
/// assert_eq!(chunk_id(b"@user_script"), b"user_script");
/// assert_eq!(chunk_id(b"return 1\nx"), b"[string \"return 1...\"]");
/// ```
pub fn chunk_id(source: &[u8]) -> Vec<u8> {
    chunk_id_sized(source, LUA_IDSIZE)
}

/// luaO_chunkid for a C buffer of `bufflen` bytes (the lexer's messages use
/// 80, runtime errors [`LUA_IDSIZE`]). The chunk name is read as a C string:
/// it ends at its first NUL byte.
pub fn chunk_id_sized(source: &[u8], bufflen: usize) -> Vec<u8> {
    let source = match source.iter().position(|&c| c == 0) {
        Some(n) => &source[..n],
        None => source,
    };
    let mut out = Vec::new();
    match source.first() {
        Some(b'=') => {
            let rest = &source[1..];
            let n = rest.len().min(bufflen.saturating_sub(1));
            out.extend_from_slice(&rest[..n]);
        }
        Some(b'@') => {
            let rest = &source[1..];
            // sizeof(" '...' ") is 8, its terminating NUL included.
            let room = bufflen.saturating_sub(8);
            if rest.len() > room {
                out.extend_from_slice(b"...");
                out.extend_from_slice(&rest[rest.len() - room..]);
            } else {
                out.extend_from_slice(rest);
            }
        }
        _ => {
            let line = source.iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(source.len());
            // sizeof(" [string \"...\"] ") is 17.
            let len = line.min(bufflen.saturating_sub(17));
            out.extend_from_slice(b"[string \"");
            if len < source.len() {
                out.extend_from_slice(&source[..len]);
                out.extend_from_slice(b"...");
            } else {
                out.extend_from_slice(source);
            }
            out.extend_from_slice(b"\"]");
        }
    }
    out
}

/// Writes `p` as a Lua 5.1 binary chunk, byte for byte what `luac` and
/// `string.dump` (ldump.c's luaU_dump) write on x86-64 Linux: the header
/// `\x1bLua\x51`, format 0, little endian, 4-byte `int` and instructions,
/// 8-byte `size_t` and numbers. `strip` leaves out the debug information
/// (`luac -s`). A nested function's source is written only where it differs
/// from its parent's.
///
/// ```
/// let p = redlet_lua::parse::compile(b"return 1", b"=x").unwrap();
/// assert!(redlet_lua::proto::dump(&p, false).starts_with(b"\x1bLua\x51\0\x01\x04\x08\x04\x08\0"));
/// ```
pub fn dump(p: &Proto, strip: bool) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"\x1bLua\x51\x00\x01\x04\x08\x04\x08\x00");
    dump_function(p, None, strip, &mut out);
    out
}

fn dump_int(x: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn dump_count(n: usize, out: &mut Vec<u8>) {
    dump_int(u32::try_from(n).unwrap_or(u32::MAX), out);
}

fn dump_string(s: Option<&[u8]>, out: &mut Vec<u8>) {
    match s {
        None => out.extend_from_slice(&0u64.to_le_bytes()),
        Some(s) => {
            // The size includes the C string's terminating NUL.
            out.extend_from_slice(&(s.len() as u64 + 1).to_le_bytes());
            out.extend_from_slice(s);
            out.push(0);
        }
    }
}

fn dump_function(f: &Proto, parent_source: Option<&[u8]>, strip: bool, out: &mut Vec<u8>) {
    let source = if strip || parent_source == Some(&f.source[..]) { None } else { Some(&f.source[..]) };
    dump_string(source, out);
    dump_int(f.linedefined, out);
    dump_int(f.lastlinedefined, out);
    out.extend_from_slice(&[f.nups, f.numparams, f.is_vararg, f.maxstacksize]);
    dump_count(f.code.len(), out);
    for i in &f.code {
        dump_int(*i, out);
    }
    dump_count(f.constants.len(), out);
    for k in &f.constants {
        match k {
            Constant::Nil => out.push(0),
            Constant::Boolean(b) => out.extend_from_slice(&[1, u8::from(*b)]),
            Constant::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Constant::String(s) => {
                out.push(4);
                dump_string(Some(s), out);
            }
        }
    }
    dump_count(f.protos.len(), out);
    for p in &f.protos {
        dump_function(p, Some(&f.source), strip, out);
    }
    if strip {
        out.extend_from_slice(&[0; 12]); // no lines, locals or upvalue names
        return;
    }
    dump_count(f.lineinfo.len(), out);
    for l in &f.lineinfo {
        dump_int(*l, out);
    }
    dump_count(f.locvars.len(), out);
    for v in &f.locvars {
        dump_string(Some(&v.name), out);
        dump_int(v.startpc, out);
        dump_int(v.endpc, out);
    }
    dump_count(f.upvalue_names.len(), out);
    for n in &f.upvalue_names {
        dump_string(Some(n), out);
    }
}

/// luaO_int2fb: encodes a table size hint as a "floating point byte"
/// (`eeeeexxx`: `(1xxx) * 2^(eeeee-1)` when `eeeee > 0`, else `xxx`), rounding up.
pub fn int2fb(mut x: u32) -> u32 {
    let mut e = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if x < 8 {
        x
    } else {
        ((e + 1) << 3) | (x - 8)
    }
}

/// luaO_fb2int: decodes [`int2fb`]'s encoding.
pub fn fb2int(x: u32) -> u32 {
    let e = (x >> 3) & 31;
    if e == 0 {
        x
    } else {
        ((x & 7) + 8).checked_shl(e - 1).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips() {
        let i = create_abc(OpCode::SetTable, 3, rk_as_k(7), 250);
        assert_eq!(get_op(i), Some(OpCode::SetTable));
        assert_eq!((get_a(i), get_b(i), get_c(i)), (3, 263, 250));
        assert!(is_k(get_b(i)) && index_k(get_b(i)) == 7 && !is_k(get_c(i)));
        let j = create_asbx(OpCode::Jmp, 0, -5);
        assert_eq!(get_sbx(j), -5);
        assert_eq!(get_sbx(set_sbx(j, 1000)), 1000);
        assert_eq!(get_bx(create_abx(OpCode::LoadK, 1, MAXARG_BX)), MAXARG_BX as usize);
        assert_eq!(get_op(63), None);
        assert_eq!(OpCode::VarArg as u8, 37);
        assert_eq!(OpCode::from_u8(11).map(OpCode::name), Some("SELF"));
    }

    #[test]
    fn chunk_ids() {
        assert_eq!(chunk_id(b"=stdin"), b"stdin");
        assert_eq!(chunk_id(b""), b"[string \"\"]");
        let long = [b'a'; 100];
        let mut at = alloc::vec![b'@'];
        at.extend_from_slice(&long);
        assert_eq!(chunk_id(&at).len(), 3 + 52);
        assert_eq!(chunk_id(&long).len(), 9 + 43 + 3 + 2);
        assert_eq!(chunk_id_sized(b"x = 1", 80), b"[string \"x = 1\"]");
    }

    #[test]
    fn dump_equals_redis_string_dump() {
        // redis-server 7.0.15: EVAL "return string.dump(function(a) return a + 1 end)" 0
        let want = "1b4c756151000104080408000d0000000000000040757365725f73637269707400010000000100000000010002030000\
                    004c0040005e0000011e0080000100000003000000000000f03f00000000030000000100000001000000010000000100\
                    000002000000000000006100000000000200000000000000";
        let p = crate::parse::compile(b"return string.dump(function(a) return a + 1 end)", b"@user_script").unwrap();
        let got: alloc::string::String = dump(&p.protos[0], false).iter().map(|b| alloc::format!("{b:02x}")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn floating_point_bytes() {
        for (x, fb) in [(0, 0), (7, 7), (8, 8), (15, 15), (16, 16), (17, 17), (100, 0x25)] {
            assert_eq!(int2fb(x), fb, "{x}");
        }
        assert!(fb2int(int2fb(1000)) >= 1000);
    }
}
