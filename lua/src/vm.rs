//! The virtual machine: lvm.c and ldo.c of Lua 5.1.5 over the bytecode of
//! `proto.rs`.
//!
//! One value stack and one call-info stack per state. Lua-to-Lua calls push a
//! `CallInfo` and continue in the same loop (they never recurse in Rust), so a
//! run can stop after any instruction and resume later. `pcall`/`xpcall` are
//! frames too (`CiKind::Pcall`): an error unwinds the call-info stack to the
//! innermost one, so a run can also pause inside a `pcall`. Coroutines too:
//! `coroutine.resume`, `coroutine.yield` and `wrap` functions switch the
//! running thread's stack and frames inside the loop (`precall_resume`,
//! `do_yield`), so a run pauses inside coroutines as well. What does recurse
//! in Rust, as it does in C Lua (luaD_call), is bounded by LUAI_MAXCCALLS (200,
//! "C stack overflow"): metamethod calls and natives calling back into Lua.
//!
//! Invariants:
//! - while a Lua frame runs, `stack.len() >= ci.top` (= base + maxstacksize)
//!   and every register index is below `ci.top` (`check_proto` verified the
//!   code at load), so register accesses cannot go out of bounds;
//! - `top == ci.top` for the running Lua frame except between an instruction
//!   that leaves a variable number of values (CALL/VARARG with B or C = 0) and
//!   the instruction that consumes them;
//! - `open_upvals` lists the open upvalues by ascending stack index, one per
//!   slot.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::number::x86_nan;
use crate::api::{Ctx, Host, Lua, PendingRun};
use crate::heap::{Closure, LProto, NativeKind, UpVal};
use crate::proto::{self, Constant, OpArgMode, OpCode, OpMode, Proto};
use crate::table::Table;
use crate::value::{FuncRef, LuaError, StrRef, TableRef, Value};

/// Initial size of the emulated CallInfo array (BASIC_CI_SIZE).
pub(crate) const BASIC_CI_SIZE: usize = 8;
/// LUAI_MAXCALLS.
const MAXCALLS: usize = 20000;
/// LUAI_MAXCCALLS.
pub(crate) const MAXCCALLS: u32 = 200;
/// LUAI_MAXCSTACK: the most slots a native may use.
pub(crate) const MAXCSTACK: usize = 8000;
/// LUA_MINSTACK: slots a native may use without asking.
const MINSTACK: usize = 20;
/// EXTRA_STACK: slack above every frame.
pub(crate) const EXTRA_STACK: usize = 5;
/// MAXTAGLOOP: longest __index/__newindex chain.
const MAXTAGLOOP: usize = 100;
/// LUA_MULTRET.
const MULTRET: i32 = -1;

/// Metamethod names, in ltm.h's order.
pub(crate) const TM_NAMES: [&str; TM_N] = [
    "__index", "__newindex", "__gc", "__mode", "__eq", "__add", "__sub", "__mul", "__div", "__mod", "__pow",
    "__unm", "__len", "__lt", "__le", "__concat", "__call",
];
/// Number of metamethod names.
pub(crate) const TM_N: usize = 17;

/// Metamethod events (ltm.h's TMS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(dead_code)] // __gc is named for the order only: no finalizers
pub(crate) enum Tm {
    Index = 0,
    NewIndex,
    Gc,
    Mode,
    Eq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Unm,
    Len,
    Lt,
    Le,
    Concat,
    Call,
}

/// What kind of frame a [`CallInfo`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CiKind {
    /// A Lua function.
    Lua,
    /// A native function (running on the Rust stack above this frame).
    Native,
    /// `pcall` (first result slot at `func + 1`) or `xpcall` (at `func + 2`);
    /// `ccalls` is `n_ccalls` before the call.
    Pcall { first: u8, ccalls: u32, ok: bool },
}

/// One active call (ldo.c's CallInfo).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallInfo {
    /// Stack index of the function.
    pub(crate) func: usize,
    /// First register.
    pub(crate) base: usize,
    /// End of the frame's registers.
    pub(crate) top: usize,
    /// Next instruction (Lua frames).
    pub(crate) savedpc: usize,
    /// Results wanted by the caller (-1 = all).
    pub(crate) nresults: i32,
    /// Tail calls this frame replaced.
    pub(crate) tailcalls: u32,
    pub(crate) func_ref: FuncRef,
    pub(crate) kind: CiKind,
    /// A TFORLOOP of this frame is waiting for its iterator to return.
    pub(crate) tfor: bool,
}

/// Opcode numbers (lopcodes.h order), for the interpreter's dispatch.
mod op {
    pub(super) const MOVE: u32 = 0;
    pub(super) const LOADK: u32 = 1;
    pub(super) const LOADBOOL: u32 = 2;
    pub(super) const LOADNIL: u32 = 3;
    pub(super) const GETUPVAL: u32 = 4;
    pub(super) const GETGLOBAL: u32 = 5;
    pub(super) const GETTABLE: u32 = 6;
    pub(super) const SETGLOBAL: u32 = 7;
    pub(super) const SETUPVAL: u32 = 8;
    pub(super) const SETTABLE: u32 = 9;
    pub(super) const NEWTABLE: u32 = 10;
    pub(super) const SELF: u32 = 11;
    pub(super) const ADD: u32 = 12;
    pub(super) const SUB: u32 = 13;
    pub(super) const MUL: u32 = 14;
    pub(super) const DIV: u32 = 15;
    pub(super) const MOD: u32 = 16;
    pub(super) const POW: u32 = 17;
    pub(super) const UNM: u32 = 18;
    pub(super) const NOT: u32 = 19;
    pub(super) const LEN: u32 = 20;
    pub(super) const CONCAT: u32 = 21;
    pub(super) const JMP: u32 = 22;
    pub(super) const EQ: u32 = 23;
    pub(super) const LT: u32 = 24;
    pub(super) const LE: u32 = 25;
    pub(super) const TEST: u32 = 26;
    pub(super) const TESTSET: u32 = 27;
    pub(super) const CALL: u32 = 28;
    pub(super) const TAILCALL: u32 = 29;
    pub(super) const RETURN: u32 = 30;
    pub(super) const FORLOOP: u32 = 31;
    pub(super) const FORPREP: u32 = 32;
    pub(super) const TFORLOOP: u32 = 33;
    pub(super) const SETLIST: u32 = 34;
    pub(super) const CLOSE: u32 = 35;
    pub(super) const CLOSURE: u32 = 36;
    pub(super) const VARARG: u32 = 37;
}

/// Outcome of [`Lua::precall`].
enum Pre {
    /// A Lua frame was pushed: run it.
    Lua,
    /// The call completed (a native); its results are in place.
    Done,
}

/// The number in a value, if it is one (read through a reference, so the
/// interpreter does not copy whole values to test their tags).
#[inline(always)]
fn num_of(v: &Value) -> Option<f64> {
    match *v {
        Value::Number(n) => Some(n),
        _ => None,
    }
}

/// The memory estimate of one loaded prototype (without its children).
pub(crate) fn proto_cost(p: &Proto) -> usize {
    64 + p.code.len() * 8 + p.constants.len() * 16 + p.locvars.len() * 24
}

/// luaO_fb2int.
fn fb2int(x: usize) -> usize {
    let e = (x >> 3) & 31;
    if e == 0 {
        x
    } else {
        ((x & 7) + 8) << (e - 1)
    }
}

/// lua_Number -> lua_Integer as C's `(ptrdiff_t)` cast behaves on x86-64
/// (cvttsd2si): NaN and out-of-range values give `i64::MIN`.
pub(crate) fn number_to_integer(n: f64) -> i64 {
    // 2^63 is exactly representable; every double in [-2^63, 2^63) converts.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// luai_nummod.
#[inline]
fn nummod(a: f64, b: f64) -> f64 {
    // luai_nummod step by step, each with x86-64's NaN rule.
    let q = x86_nan(a / b, a, b);
    let f = libm::floor(q);
    let f = if f.is_nan() { q } else { f };
    let m = x86_nan(f * b, f, b);
    x86_nan(a - m, a, m)
}

#[inline]
fn arith(op: Tm, a: f64, b: f64) -> f64 {
    match op {
        Tm::Add => x86_nan(a + b, a, b),
        Tm::Sub => x86_nan(a - b, a, b),
        Tm::Mul => x86_nan(a * b, a, b),
        Tm::Div => x86_nan(a / b, a, b),
        Tm::Mod => nummod(a, b),
        Tm::Pow => crate::number::pow(a, b),
        Tm::Unm => -a,
        _ => 0.0,
    }
}

/// Checks a prototype's code the way luaG_checkcode does, so the VM can index
/// registers and constants without failing. `depth` bounds the recursion
/// into nested prototypes.
pub(crate) fn check_proto(p: &Proto, depth: usize) -> bool {
    let maxstack = p.maxstacksize as usize;
    let code = &p.code;
    let nk = p.constants.len();
    if depth > 250 || maxstack > 250 || code.is_empty() {
        return false;
    }
    if p.numparams as usize + (p.is_vararg & proto::VARARG_HASARG) as usize > maxstack {
        return false;
    }
    if proto::get_op(code[code.len() - 1]) != Some(OpCode::Return) {
        return false;
    }
    if p.upvalue_names.len() > p.nups as usize && !p.upvalue_names.is_empty() {
        return false;
    }
    let reg = |r: usize| r < maxstack;
    let argok = |r: usize, mode: OpArgMode| match mode {
        OpArgMode::N => true,
        OpArgMode::U => true,
        OpArgMode::R => r < maxstack,
        OpArgMode::K => {
            if proto::is_k(r) {
                proto::index_k(r) < nk
            } else {
                r < maxstack
            }
        }
    };
    let mut pc = 0;
    while pc < code.len() {
        let i = code[pc];
        let Some(op) = proto::get_op(i) else { return false };
        let a = proto::get_a(i);
        if !reg(a) {
            return false;
        }
        let b = proto::get_b(i);
        let c = proto::get_c(i);
        match op.mode() {
            OpMode::ABC => {
                if !argok(b, op.b_mode()) || !argok(c, op.c_mode()) {
                    return false;
                }
            }
            OpMode::ABx => {
                if op.b_mode() == OpArgMode::K && proto::get_bx(i) >= nk {
                    return false;
                }
            }
            OpMode::AsBx => {
                if op.b_mode() == OpArgMode::R {
                    let dest = pc as i64 + 1 + proto::get_sbx(i) as i64;
                    if dest < 0 || dest >= code.len() as i64 {
                        return false;
                    }
                }
            }
        }
        if op.is_test() && (pc + 2 >= code.len() || proto::get_op(code[pc + 1]) != Some(OpCode::Jmp)) {
            return false;
        }
        match op {
            OpCode::LoadBool if c != 0 && pc + 2 >= code.len() => return false,
            OpCode::LoadNil if !reg(b) => return false,
            OpCode::GetUpval | OpCode::SetUpval if b >= p.nups as usize => return false,
            OpCode::GetGlobal | OpCode::SetGlobal
                if !matches!(p.constants.get(proto::get_bx(i)), Some(Constant::String(_))) =>
            {
                return false
            }
            OpCode::Self_ if !reg(a + 1) => return false,
            OpCode::Concat if b >= c => return false,
            OpCode::TForLoop if c < 1 || !reg(a + 2 + c) => return false,
            OpCode::ForLoop | OpCode::ForPrep if !reg(a + 3) => return false,
            OpCode::Call | OpCode::TailCall => {
                if b != 0 && !reg(a + b - 1) {
                    return false;
                }
                if c >= 2 && !reg(a + c - 2) {
                    return false;
                }
                if c == 0 && !open_op_follows(code, pc) {
                    return false;
                }
            }
            OpCode::Return if b >= 2 && !reg(a + b - 2) => return false,
            OpCode::SetList => {
                if b > 0 && !reg(a + b) {
                    return false;
                }
                if c == 0 {
                    pc += 1;
                    if pc >= code.len() - 1 {
                        return false;
                    }
                }
            }
            OpCode::Closure => {
                let bx = proto::get_bx(i);
                let Some(child) = p.protos.get(bx) else { return false };
                let nup = child.nups as usize;
                if pc + nup >= code.len() {
                    return false;
                }
                for j in 1..=nup {
                    let u = code[pc + j];
                    match proto::get_op(u) {
                        Some(OpCode::GetUpval) if proto::get_b(u) < p.nups as usize => {}
                        Some(OpCode::Move) if reg(proto::get_b(u)) => {}
                        _ => return false,
                    }
                }
                pc += nup;
            }
            OpCode::VarArg => {
                if p.is_vararg & proto::VARARG_ISVARARG == 0 || p.is_vararg & proto::VARARG_NEEDSARG != 0 {
                    return false;
                }
                if b == 0 {
                    if !open_op_follows(code, pc) {
                        return false;
                    }
                } else if b >= 2 && !reg(a + b - 2) {
                    // ldebug.c decrements b before checkreg(a + b - 1):
                    // b - 1 values land in a .. a + b - 2 (none for b = 1).
                    return false;
                }
            }
            _ => {}
        }
        pc += 1;
    }
    p.protos.iter().all(|c| check_proto(c, depth + 1))
}

/// luaG_checkopenop: an instruction after an open call must consume all values.
fn open_op_follows(code: &[u32], pc: usize) -> bool {
    match code.get(pc + 1).copied() {
        Some(i) => matches!(
            proto::get_op(i),
            Some(OpCode::Call | OpCode::TailCall | OpCode::Return | OpCode::SetList)
        ) && proto::get_b(i) == 0,
        None => false,
    }
}

// ---------------------------------------------------------------------------
// Number <-> string (lua_Number2str and luaO_str2d; see number.rs)

/// `%.14g`, as lua_number2str.
#[inline]
pub(crate) fn fmt_number(n: f64, out: &mut Vec<u8>) {
    // Integers print the same under %.14g and plain decimal (the common case
    // in string building), without going through the float formatter.
    if n == (n as i64) as f64 && n.abs() < 1e14 && !(n == 0.0 && n.is_sign_negative()) {
        let mut v = n as i64;
        if v < 0 {
            out.push(b'-');
            v = -v;
        }
        crate::debug::push_decimal(out, v as u64);
        return;
    }
    crate::number::fmt_number(n, out)
}

/// luaO_str2d.
#[inline]
pub(crate) fn str2number(s: &[u8]) -> Option<f64> {
    crate::number::str2number(s)
}

impl<H: Host> Lua<H> {
    // -----------------------------------------------------------------------
    // Loading

    /// Builds the runtime form of a prototype tree (constants interned).
    pub(crate) fn make_lproto(&mut self, p: &Arc<Proto>) -> Arc<LProto> {
        let k: Vec<Value> = p
            .constants
            .iter()
            .map(|c| match c {
                Constant::Nil => Value::Nil,
                Constant::Boolean(b) => Value::Boolean(*b),
                Constant::Number(n) => Value::Number(*n),
                Constant::String(s) => Value::String(self.heap.intern_rc(s)),
            })
            .collect();
        let children: Vec<Arc<LProto>> = p.protos.iter().map(|c| self.make_lproto(c)).collect();
        let cost = proto_cost(p);
        self.heap.bytes += cost;
        self.proto_bytes += cost;
        Arc::new(LProto {
            p: p.clone(),
            k: k.into(),
            children: children.into(),
            maxstack: p.maxstacksize as usize,
            nparams: p.numparams as usize,
            is_vararg: p.is_vararg,
            mark: core::sync::atomic::AtomicU32::new(0),
        })
    }

    // -----------------------------------------------------------------------
    // Stack and frames

    /// Grows the stack to at least `n` slots.
    #[inline]
    pub(crate) fn ensure_stack(&mut self, n: usize) -> Result<(), LuaError> {
        if self.stack.len() < n {
            self.grow_stack(n)?;
        }
        Ok(())
    }

    /// Grows the stack (doubling), within the memory limit: deep recursion
    /// with many arguments must end in "not enough memory", not exhaust
    /// the host. No collection here (callers may hold values in locals).
    #[inline(never)]
    fn grow_stack(&mut self, n: usize) -> Result<(), LuaError> {
        let vsize = core::mem::size_of::<Value>();
        let mut new = n.max(self.stack.len() * 2).max(64);
        if self.memory_limit != 0 && self.heap.bytes.saturating_add(new.saturating_mul(vsize)) > self.memory_limit {
            new = n;
            if self.heap.bytes.saturating_add(new.saturating_mul(vsize)) > self.memory_limit {
                return Err(LuaError::Memory);
            }
        }
        self.stack.resize(new, Value::Nil);
        Ok(())
    }

    /// The part of the stack that holds live values (for the collector).
    pub(crate) fn stack_in_use(&self) -> usize {
        let mut m = self.top;
        for ci in &self.cis {
            m = m.max(ci.top);
        }
        m
    }

    /// inc_ci: emulates growCI's limits before a frame is pushed.
    fn check_ci(&mut self) -> Result<(), LuaError> {
        if self.cis.len() + 1 >= self.size_ci {
            if self.size_ci > MAXCALLS {
                return Err(self.plain_error(b"error in error handling"));
            }
            self.size_ci *= 2;
            if self.size_ci > MAXCALLS {
                return Err(self.rt_error(b"stack overflow"));
            }
        }
        Ok(())
    }

    /// Drops frames down to `depth` and the stack down to `top`, closing the
    /// upvalues above it (after an error that escaped them).
    pub(crate) fn unwind_to(&mut self, depth: usize, top: usize) {
        self.close_upvals(top);
        self.cis.truncate(depth);
        self.top = top;
        // restore_stack_limit, as after any protected call.
        if self.size_ci > MAXCALLS && self.cis.len() + 1 < MAXCALLS {
            self.size_ci = MAXCALLS;
        }
    }

    // -----------------------------------------------------------------------
    // Upvalues

    /// luaF_findupval: the open upvalue for stack slot `idx`, created if needed.
    fn find_upval(&mut self, idx: usize) -> u32 {
        let mut pos = self.open_upvals.len();
        while pos > 0 {
            let u = self.open_upvals[pos - 1];
            if let UpVal::Open { idx: s, .. } = self.heap.upvals.items[u as usize] {
                if s as usize == idx {
                    return u;
                }
                if (s as usize) < idx {
                    break;
                }
            }
            pos -= 1;
        }
        let u = self.heap.new_upval(UpVal::Open { idx: idx as u32, thread: self.cur_thread });
        self.open_upvals.insert(pos, u);
        u
    }

    /// luaF_close: closes the open upvalues at stack slots `>= level`.
    pub(crate) fn close_upvals(&mut self, level: usize) {
        while let Some(&u) = self.open_upvals.last() {
            match self.heap.upvals.items[u as usize] {
                UpVal::Open { idx: s, .. } if s as usize >= level => {
                    let v = self.stack.get(s as usize).copied().unwrap_or(Value::Nil);
                    self.heap.upvals.items[u as usize] = UpVal::Closed(v);
                    self.open_upvals.pop();
                }
                _ => break,
            }
        }
    }

    #[inline]
    fn upval_get(&self, u: u32) -> Value {
        match self.heap.upvals.items[u as usize] {
            UpVal::Open { idx, thread } if thread == self.cur_thread => self.stack[idx as usize],
            UpVal::Open { idx, thread } => self.other_stack(thread).and_then(|s| s.get(idx as usize).copied()).unwrap_or(Value::Nil),
            UpVal::Closed(v) => v,
        }
    }

    #[inline]
    fn upval_set(&mut self, u: u32, v: Value) {
        match self.heap.upvals.items[u as usize] {
            UpVal::Open { idx, thread } if thread == self.cur_thread => self.stack[idx as usize] = v,
            UpVal::Open { idx, thread } => {
                if let Some(slot) = self.other_stack_mut(thread).and_then(|s| s.get_mut(idx as usize)) {
                    *slot = v;
                }
            }
            UpVal::Closed(_) => self.heap.upvals.items[u as usize] = UpVal::Closed(v),
        }
    }

    /// The stack of a thread that is not running: a suspended (or dead)
    /// coroutine's, or one waiting in `thread_stack` for a resume to return.
    fn other_stack(&self, thread: u32) -> Option<&Vec<Value>> {
        if let Some(r) = self.thread_stack.iter().find(|r| r.id == thread) {
            return Some(&r.state.stack);
        }
        if thread == crate::heap::MAIN_THREAD {
            return None;
        }
        self.heap.threads.items.get(thread as usize).map(|c| &c.state.stack)
    }

    fn other_stack_mut(&mut self, thread: u32) -> Option<&mut Vec<Value>> {
        if let Some(r) = self.thread_stack.iter_mut().find(|r| r.id == thread) {
            return Some(&mut r.state.stack);
        }
        if thread == crate::heap::MAIN_THREAD {
            return None;
        }
        self.heap.threads.items.get_mut(thread as usize).map(|c| &mut c.state.stack)
    }

    // -----------------------------------------------------------------------
    // Garbage collection at safe points

    /// Collects when the heap has grown enough; fails with `Memory` when the
    /// limit is still exceeded after a full collection.
    #[inline]
    pub(crate) fn check_gc(&mut self) -> Result<(), LuaError> {
        if self.heap.bytes > self.gc_threshold {
            self.gc_slow()
        } else {
            Ok(())
        }
    }

    /// Fails with `Memory` when `extra` more bytes would take the state over
    /// its limit even after a full collection (a safe point: callers hold
    /// nothing outside the stack).
    pub(crate) fn check_room(&mut self, extra: usize) -> Result<(), LuaError> {
        if self.memory_limit == 0 || self.memory_used().saturating_add(extra) <= self.memory_limit {
            return Ok(());
        }
        self.gc_collect();
        if self.memory_used().saturating_add(extra) > self.memory_limit {
            return Err(LuaError::Memory);
        }
        Ok(())
    }

    #[inline(never)]
    fn gc_slow(&mut self) -> Result<(), LuaError> {
        self.gc_collect();
        if self.memory_limit != 0 {
            if self.memory_used() > self.memory_limit {
                return Err(LuaError::Memory);
            }
            // Collect again before the limit is crossed.
            let room = self.memory_limit.saturating_sub(self.stack.len() * 16);
            self.gc_threshold = self.gc_threshold.min(room);
        }
        Ok(())
    }

    // -----------------------------------------------------------------------
    // Errors

    /// luaG_runerror: the message with "chunk:line: " of the running Lua frame.
    pub(crate) fn rt_error(&mut self, msg: &[u8]) -> LuaError {
        let mut m = self.current_position();
        m.extend_from_slice(msg);
        self.plain_error(&m)
    }

    /// luaG_typeerror: `op` is "index", "call", "perform arithmetic on", ...;
    /// `slot` is the stack index of the offending value, when it is one.
    pub(crate) fn type_error(&mut self, slot: Option<usize>, v: Value, op: &str) -> LuaError {
        let t = v.type_name();
        let named = slot.and_then(|s| self.slot_name(s));
        let mut m = Vec::new();
        m.extend_from_slice(b"attempt to ");
        m.extend_from_slice(op.as_bytes());
        match named {
            Some((kind, name)) => {
                m.push(b' ');
                m.extend_from_slice(kind.as_bytes());
                m.extend_from_slice(b" '");
                m.extend_from_slice(&name);
                m.extend_from_slice(b"' (a ");
                m.extend_from_slice(t.as_bytes());
                m.extend_from_slice(b" value)");
            }
            None => {
                m.extend_from_slice(b" a ");
                m.extend_from_slice(t.as_bytes());
                m.extend_from_slice(b" value");
            }
        }
        self.rt_error(&m)
    }

    /// luaG_ordererror.
    fn order_error(&mut self, a: Value, b: Value) -> LuaError {
        let t1 = a.type_name();
        let t2 = b.type_name();
        let mut m = Vec::new();
        if t1.as_bytes()[2] == t2.as_bytes()[2] {
            m.extend_from_slice(b"attempt to compare two ");
            m.extend_from_slice(t1.as_bytes());
            m.extend_from_slice(b" values");
        } else {
            m.extend_from_slice(b"attempt to compare ");
            m.extend_from_slice(t1.as_bytes());
            m.extend_from_slice(b" with ");
            m.extend_from_slice(t2.as_bytes());
        }
        self.rt_error(&m)
    }

    /// luaG_aritherror.
    fn arith_error(&mut self, b: Value, bslot: Option<usize>, c: Value, cslot: Option<usize>) -> LuaError {
        if self.to_number(b).is_none() {
            self.type_error(bslot, b, "perform arithmetic on")
        } else {
            self.type_error(cslot, c, "perform arithmetic on")
        }
    }

    // -----------------------------------------------------------------------
    // Conversions

    /// luaV_tonumber: numbers, and strings that luaO_str2d accepts.
    #[inline]
    pub(crate) fn to_number(&self, v: Value) -> Option<f64> {
        match v {
            Value::Number(n) => Some(n),
            Value::String(s) => str2number(self.heap.str_bytes(s)),
            _ => None,
        }
    }

    /// A number as a Lua string (`%.14g`).
    pub(crate) fn number_to_str(&mut self, n: f64) -> StrRef {
        let mut b = core::mem::take(&mut self.buf);
        b.clear();
        fmt_number(n, &mut b);
        let s = self.heap.intern(&b);
        self.buf = b;
        s
    }

    /// tostring without metamethods, appended to `out`.
    pub(crate) fn tostring_into(&self, v: Value, out: &mut Vec<u8>) {
        match v {
            Value::Nil => out.extend_from_slice(b"nil"),
            Value::Boolean(true) => out.extend_from_slice(b"true"),
            Value::Boolean(false) => out.extend_from_slice(b"false"),
            Value::Number(n) => fmt_number(n, out),
            Value::String(s) => out.extend_from_slice(self.heap.str_bytes(s)),
            Value::Table(t) => push_pointer(out, "table", 0x1000_0000 + t.0 as usize * 0x40),
            Value::Function(f) => push_pointer(out, "function", 0x2000_0000 + f.0 as usize * 0x40),
            Value::LightUserData(p) => push_pointer(out, "userdata", p),
            Value::Thread(c) => push_pointer(out, "thread", 0x3000_0000 + c.0 as usize * 0x40),
        }
    }

    // -----------------------------------------------------------------------
    // Metatables

    /// The metatable of any value (tables' own, the shared string one).
    #[inline]
    pub(crate) fn metatable_of(&self, v: Value) -> Option<TableRef> {
        match v {
            Value::Table(t) => self.heap.table(t).metatable,
            Value::String(_) => self.string_mt,
            _ => None,
        }
    }

    /// luaT_gettmbyobj.
    #[inline]
    pub(crate) fn tm_of(&self, v: Value, e: Tm) -> Value {
        match self.metatable_of(v) {
            Some(mt) => self.heap.table(mt).get_str(self.tm_names[e as usize]),
            None => Value::Nil,
        }
    }

    /// fasttm: a metamethod of a metatable, with the absence cache.
    #[inline]
    fn fasttm(&mut self, mt: Option<TableRef>, e: Tm) -> Value {
        let Some(mt) = mt else { return Value::Nil };
        let bit = 1u8 << (e as u8);
        let name = self.tm_names[e as usize];
        let t = self.heap.table_mut(mt);
        if t.flags & bit != 0 {
            return Value::Nil;
        }
        let v = t.get_str(name);
        if v.is_nil() {
            t.flags |= bit;
        }
        v
    }

    /// A field of a value's metatable (luaL_getmetafield), `Nil` if none.
    pub(crate) fn get_metafield(&mut self, v: Value, name: &[u8]) -> Value {
        match self.metatable_of(v) {
            Some(mt) => {
                let k = self.heap.intern(name);
                self.heap.table(mt).get_str(k)
            }
            None => Value::Nil,
        }
    }

    // -----------------------------------------------------------------------
    // Calls

    /// luaD_precall: enters the function at `func` (arguments up to `top`).
    fn precall(&mut self, host: &mut H, func: usize, nresults: i32) -> Result<Pre, LuaError> {
        let f = match self.stack[func] {
            Value::Function(f) => f,
            other => self.tryfunc_tm(func, other)?,
        };
        match &self.funcs.items[f.0 as usize] {
            Closure::Lua { p, .. } => {
                let (maxstack, nparams, is_vararg) = (p.maxstack, p.nparams, p.is_vararg);
                self.enter_lua(func, f, maxstack, nparams, is_vararg, nresults)
            }
            Closure::Native { f: nf, kind, .. } => {
                let nf = *nf;
                match *kind {
                    NativeKind::Plain => {
                        self.check_ci()?;
                        self.ensure_stack(self.top + MINSTACK + EXTRA_STACK)?;
                        let base = func + 1;
                        self.cis.push(CallInfo {
                            func,
                            base,
                            top: self.top + MINSTACK,
                            savedpc: 0,
                            nresults,
                            tailcalls: 0,
                            func_ref: f,
                            kind: CiKind::Native,
                            tfor: false,
                        });
                        let nargs = self.top - base;
                        let n = {
                            let mut ctx = Ctx { lua: self, host, base, nargs, func: f };
                            nf(&mut ctx)?
                        };
                        let n = n.min(self.top - base);
                        self.poscall(self.top - n);
                        Ok(Pre::Done)
                    }
                    NativeKind::Pcall | NativeKind::Xpcall => self.precall_pcall(host, func, f, nresults, *kind),
                    NativeKind::Yield => self.precall_yield(func, f, nresults),
                    NativeKind::Resume | NativeKind::Wrap => self.precall_resume(func, f, nresults, *kind),
                }
            }
            Closure::Dead => Err(self.rt_error(b"attempt to call a dead function")),
        }
    }

    /// `pcall`/`xpcall`: a frame that catches errors of the call above it.
    fn precall_pcall(
        &mut self,
        host: &mut H,
        func: usize,
        f: FuncRef,
        nresults: i32,
        kind: NativeKind,
    ) -> Result<Pre, LuaError> {
        self.check_ci()?;
        self.ensure_stack(self.top + MINSTACK + EXTRA_STACK)?;
        let first = if kind == NativeKind::Pcall { 1 } else { 2 };
        self.cis.push(CallInfo {
            func,
            base: func + 1,
            top: self.top + MINSTACK,
            savedpc: 0,
            nresults,
            tailcalls: 0,
            func_ref: f,
            kind: CiKind::Native,
            tfor: false,
        });
        let nargs = self.top - func - 1;
        if kind == NativeKind::Pcall {
            if nargs < 1 {
                let e = self.native_arg_error(1, b"value expected");
                return Err(e);
            }
        } else {
            if nargs < 2 {
                let e = self.native_arg_error(2, b"value expected");
                return Err(e);
            }
            // [xpcall, f, handler] -> [xpcall, handler, f]
            self.top = func + 3;
            self.stack.swap(func + 1, func + 2);
        }
        // luaD_call's C-stack check, then the frame becomes a pcall frame.
        let ccalls = self.n_ccalls;
        self.n_ccalls += 1;
        if self.n_ccalls >= MAXCCALLS {
            if self.n_ccalls == MAXCCALLS {
                let e = self.rt_error(b"C stack overflow");
                self.n_ccalls = ccalls;
                return Err(e);
            } else if self.n_ccalls >= MAXCCALLS + (MAXCCALLS >> 3) {
                self.n_ccalls = ccalls;
                return Err(self.plain_error(b"error in error handling"));
            }
        }
        if let Some(ci) = self.cis.last_mut() {
            ci.kind = CiKind::Pcall { first, ccalls, ok: true };
        }
        match self.precall(host, func + first as usize, MULTRET)? {
            Pre::Lua => Ok(Pre::Lua),
            Pre::Done => {
                self.finish_pcall();
                Ok(Pre::Done)
            }
        }
    }

    /// `coroutine.yield(...)`: leaves a native frame holding the yielded
    /// values on top of the coroutine's frames; `resume_thread` takes them
    /// and later completes the frame with the next resume's arguments.
    fn precall_yield(&mut self, func: usize, f: FuncRef, nresults: i32) -> Result<Pre, LuaError> {
        self.check_ci()?;
        self.cis.push(CallInfo {
            func,
            base: func + 1,
            top: self.top + MINSTACK,
            savedpc: 0,
            nresults,
            tailcalls: 0,
            func_ref: f,
            kind: CiKind::Native,
            tfor: false,
        });
        let allowed = self.cur_thread != crate::heap::MAIN_THREAD
            && self.n_ccalls <= self.heap.threads.items[self.cur_thread as usize].base_ccalls;
        if !allowed {
            return Err(self.plain_error(b"attempt to yield across metamethod/C-call boundary"));
        }
        self.do_yield()?;
        Ok(Pre::Lua)
    }

    /// Swaps the running thread's state for `new`, returning the old one
    /// (stacks out of the running state count in the heap's bytes).
    fn swap_state(&mut self, new: crate::heap::ThreadState) -> crate::heap::ThreadState {
        let old = crate::heap::ThreadState {
            stack: core::mem::take(&mut self.stack),
            top: self.top,
            cis: core::mem::take(&mut self.cis),
            open_upvals: core::mem::take(&mut self.open_upvals),
            size_ci: self.size_ci,
        };
        let vsize = core::mem::size_of::<Value>();
        self.heap.bytes = (self.heap.bytes + old.stack.len() * vsize).saturating_sub(new.stack.len() * vsize);
        self.stack = new.stack;
        self.top = new.top;
        self.cis = new.cis;
        self.open_upvals = new.open_upvals;
        self.size_ci = new.size_ci;
        old
    }

    /// A new coroutine that will run `f`.
    pub(crate) fn new_thread(&mut self, f: Value) -> crate::value::ThreadRef {
        let mut stack = alloc::vec![Value::Nil; 64];
        stack[0] = f;
        let state = crate::heap::ThreadState { stack, top: 1, cis: Vec::new(), open_upvals: Vec::new(), size_ci: BASIC_CI_SIZE };
        let c = crate::heap::Coroutine { state, status: crate::heap::CoStatus::Suspended, started: false, base_ccalls: 0 };
        crate::value::ThreadRef(self.heap.new_thread(c))
    }

    /// costatus.
    pub(crate) fn thread_status(&self, co: crate::value::ThreadRef) -> crate::heap::CoStatus {
        if co.0 == self.cur_thread {
            crate::heap::CoStatus::Running
        } else {
            self.heap.threads.items[co.0 as usize].status
        }
    }

    /// `coroutine.resume(co, ...)` and calls of `coroutine.wrap` functions
    /// (lua_resume/auxresume): switches to the coroutine inside the VM loop.
    /// `Pre::Lua` means the running thread changed (or its frames did):
    /// continue at the top frame; `Pre::Done` means the call completed at
    /// once (a coroutine that cannot be resumed).
    fn precall_resume(&mut self, func: usize, f: FuncRef, nresults: i32, kind: NativeKind) -> Result<Pre, LuaError> {
        use crate::heap::CoStatus;
        self.check_ci()?;
        self.ensure_stack(self.top + MINSTACK + EXTRA_STACK)?;
        self.cis.push(CallInfo {
            func,
            base: func + 1,
            top: self.top + MINSTACK,
            savedpc: 0,
            nresults,
            tailcalls: 0,
            func_ref: f,
            kind: CiKind::Native,
            tfor: false,
        });
        let (co, first_arg) = if kind == NativeKind::Resume {
            match self.stack.get(func + 1).copied().filter(|_| self.top > func + 1) {
                Some(Value::Thread(t)) => (t, func + 2),
                _ => return Err(self.native_arg_error(1, b"coroutine expected")),
            }
        } else {
            let up = match &self.funcs.items[f.0 as usize] {
                Closure::Native { upvals, .. } => upvals.first().copied(),
                _ => None,
            };
            match up {
                Some(Value::Thread(t)) => (t, func + 1),
                _ => return Err(self.plain_error(b"invalid wrap function")),
            }
        };
        let status = self.thread_status(co);
        let refusal: Option<&[u8]> = match status {
            CoStatus::Suspended if self.n_ccalls >= MAXCCALLS => Some(b"C stack overflow"),
            CoStatus::Suspended => None,
            CoStatus::Running => Some(b"cannot resume running coroutine"),
            CoStatus::Normal => Some(b"cannot resume normal coroutine"),
            CoStatus::Dead => Some(b"cannot resume dead coroutine"),
        };
        if let Some(msg) = refusal {
            let e = Value::String(self.heap.intern(msg));
            return self.resume_failed(e).map(|_| Pre::Done);
        }
        // Switch: the arguments move to the coroutine's stack.
        let args: Vec<Value> = self.stack[first_arg.min(self.top)..self.top].to_vec();
        let id = co.0;
        let me = self.cur_thread;
        if me != crate::heap::MAIN_THREAD {
            self.heap.threads.items[me as usize].status = CoStatus::Normal;
        }
        let co_state = core::mem::take(&mut self.heap.threads.items[id as usize].state);
        let my_state = self.swap_state(co_state);
        self.thread_stack.push(crate::heap::Resumer { id: me, state: my_state, ccalls: self.n_ccalls });
        self.cur_thread = id;
        self.n_ccalls += 1;
        let started = {
            let c = &mut self.heap.threads.items[id as usize];
            c.status = CoStatus::Running;
            c.base_ccalls = self.n_ccalls;
            let s = c.started;
            c.started = true;
            s
        };
        self.ensure_stack(self.top + args.len() + EXTRA_STACK)?;
        for &a in &args {
            self.stack[self.top] = a;
            self.top += 1;
        }
        if !started {
            // The body is a Lua function (coroutine.create checked it).
            self.precall_entry(0)?;
        } else {
            // Complete the pending yield with these values.
            let first = self.top - args.len();
            let multret = self.poscall(first);
            if !multret {
                if let Some(c) = self.cis.last() {
                    if c.kind == CiKind::Lua {
                        self.top = c.top;
                    }
                }
            }
        }
        Ok(Pre::Lua)
    }

    /// Enters a coroutine's body at stack slot `func`.
    fn precall_entry(&mut self, func: usize) -> Result<Pre, LuaError> {
        let Value::Function(f) = self.stack[func] else {
            return Err(self.plain_error(b"cannot resume non-function"));
        };
        let Closure::Lua { p, .. } = &self.funcs.items[f.0 as usize] else {
            return Err(self.plain_error(b"cannot resume non-function"));
        };
        let (maxstack, nparams, is_vararg) = (p.maxstack, p.nparams, p.is_vararg);
        self.enter_lua(func, f, maxstack, nparams, is_vararg, MULTRET)
    }

    /// Enters Lua function `f` at `func` (luaD_precall's Lua half): adjusts
    /// the arguments (varargs moved above the fixed ones), clears the
    /// frame's registers and pushes its CallInfo.
    #[inline]
    fn enter_lua(&mut self, func: usize, f: FuncRef, maxstack: usize, nparams: usize, is_vararg: u8, nresults: i32) -> Result<Pre, LuaError> {
        self.ensure_stack(self.top + maxstack + nparams + EXTRA_STACK + 1)?;
        let base = if is_vararg == 0 {
            let base = func + 1;
            if self.top > base + nparams {
                self.top = base + nparams;
            }
            base
        } else {
            let nargs = self.top - func - 1;
            self.adjust_varargs(nparams, nargs, is_vararg)?
        };
        self.check_ci()?;
        let top = base + maxstack;
        self.ensure_stack(top + EXTRA_STACK)?;
        for v in &mut self.stack[self.top..top] {
            *v = Value::Nil;
        }
        self.top = top;
        self.cis.push(CallInfo {
            func,
            base,
            top,
            savedpc: 0,
            nresults,
            tailcalls: 0,
            func_ref: f,
            kind: CiKind::Lua,
            tfor: false,
        });
        Ok(Pre::Lua)
    }

    /// The running coroutine stops (it yielded, returned or died): back to
    /// the thread that resumed it, whose top frame is the resume call.
    fn switch_back(&mut self, status: crate::heap::CoStatus) {
        let Some(r) = self.thread_stack.pop() else { return };
        let co = self.cur_thread;
        let co_state = self.swap_state(r.state);
        if co != crate::heap::MAIN_THREAD {
            let c = &mut self.heap.threads.items[co as usize];
            c.state = co_state;
            c.status = status;
        }
        self.cur_thread = r.id;
        if r.id != crate::heap::MAIN_THREAD {
            self.heap.threads.items[r.id as usize].status = crate::heap::CoStatus::Running;
        }
        self.n_ccalls = r.ccalls;
    }

    /// Completes the resume call on top of the (resumer's) frames with
    /// `values`: `true, values...` for `coroutine.resume`, the values for a
    /// wrap function.
    fn resume_succeeded(&mut self, values: &[Value]) -> Result<(), LuaError> {
        let Some(ci) = self.cis.last().copied() else { return Ok(()) };
        let is_resume = matches!(&self.funcs.items[ci.func_ref.0 as usize], Closure::Native { kind: NativeKind::Resume, .. });
        self.ensure_stack(self.top + values.len() + 1 + EXTRA_STACK)?;
        let first = self.top;
        if is_resume {
            self.stack[self.top] = Value::Boolean(true);
            self.top += 1;
        }
        for &v in values {
            self.stack[self.top] = v;
            self.top += 1;
        }
        let multret = self.poscall(first);
        if !multret {
            if let Some(c) = self.cis.last() {
                if c.kind == CiKind::Lua {
                    self.top = c.top;
                }
            }
        }
        Ok(())
    }

    /// Completes the resume call on top with a failure: `false, err` for
    /// `coroutine.resume`; for a wrap function the error is raised in the
    /// resumer (a string gets the caller's position, as auxwrap does).
    fn resume_failed(&mut self, err: Value) -> Result<(), LuaError> {
        let Some(ci) = self.cis.last().copied() else { return Err(LuaError::Runtime(err)) };
        let is_resume = matches!(&self.funcs.items[ci.func_ref.0 as usize], Closure::Native { kind: NativeKind::Resume, .. });
        if !is_resume {
            if matches!(err, Value::String(_) | Value::Number(_)) {
                let mut m = self.where_(1);
                self.tostring_into(err, &mut m);
                return Err(LuaError::Runtime(Value::String(self.heap.intern(&m))));
            }
            return Err(LuaError::Runtime(err));
        }
        self.ensure_stack(self.top + 2 + EXTRA_STACK)?;
        let first = self.top;
        self.stack[first] = Value::Boolean(false);
        self.stack[first + 1] = err;
        self.top = first + 2;
        let multret = self.poscall(first);
        if !multret {
            if let Some(c) = self.cis.last() {
                if c.kind == CiKind::Lua {
                    self.top = c.top;
                }
            }
        }
        Ok(())
    }

    /// `coroutine.yield` reached the VM: hand the values to the resumer.
    fn do_yield(&mut self) -> Result<(), LuaError> {
        let base = self.cis.last().map(|c| c.base).unwrap_or(self.top).min(self.top);
        let values: Vec<Value> = self.stack[base..self.top].to_vec();
        self.switch_back(crate::heap::CoStatus::Suspended);
        self.resume_succeeded(&values)
    }

    /// The running coroutine's body returned (its frames are gone): hand its
    /// results to the resumer.
    fn coroutine_returned(&mut self) -> Result<(), LuaError> {
        let values: Vec<Value> = self.stack[..self.top].to_vec();
        self.switch_back(crate::heap::CoStatus::Dead);
        self.resume_succeeded(&values)
    }

    /// Completes the pcall frame on top: its results (`true`/`false` then the
    /// call's results or the error) go to the caller.
    fn finish_pcall(&mut self) {
        let Some(ci) = self.cis.last().copied() else { return };
        if let CiKind::Pcall { first, ccalls, ok } = ci.kind {
            let status = ci.func + first as usize - 1;
            self.stack[status] = Value::Boolean(ok);
            self.n_ccalls = ccalls;
            self.poscall(status);
        }
    }

    /// tryfuncTM: a non-function called through its `__call` metamethod.
    fn tryfunc_tm(&mut self, func: usize, v: Value) -> Result<FuncRef, LuaError> {
        let tm = self.tm_of(v, Tm::Call);
        let Value::Function(f) = tm else {
            return Err(self.type_error(Some(func), v, "call"));
        };
        self.ensure_stack(self.top + 1 + EXTRA_STACK)?;
        let mut p = self.top;
        while p > func {
            self.stack[p] = self.stack[p - 1];
            p -= 1;
        }
        self.top += 1;
        self.stack[func] = tm;
        Ok(f)
    }

    /// adjust_varargs: moves the fixed parameters above the extra arguments.
    fn adjust_varargs(&mut self, nparams: usize, mut nargs: usize, is_vararg: u8) -> Result<usize, LuaError> {
        while nargs < nparams {
            self.stack[self.top] = Value::Nil;
            self.top += 1;
            nargs += 1;
        }
        let mut htab = None;
        if is_vararg & proto::VARARG_NEEDSARG != 0 {
            let nvar = nargs - nparams;
            let t = self.heap.new_table(Table::with_sizes(nvar, 1));
            for i in 0..nvar {
                let v = self.stack[self.top - nvar + i];
                let _ = self.heap.with_table(t, |tab| tab.raw_set_int(i as i64 + 1, v));
            }
            let n = self.heap.intern(b"n");
            let _ = self.heap.with_table(t, |tab| tab.raw_set(Value::String(n), Value::Number(nvar as f64)));
            htab = Some(t);
        }
        let fixed = self.top - nargs;
        let base = self.top;
        for i in 0..nparams {
            self.stack[self.top] = self.stack[fixed + i];
            self.stack[fixed + i] = Value::Nil;
            self.top += 1;
        }
        if let Some(t) = htab {
            self.stack[self.top] = Value::Table(t);
            self.top += 1;
        }
        Ok(base)
    }

    /// luaD_poscall: moves the results starting at `first` (up to `top`) to the
    /// function's slot, as many as wanted; pops the frame. Returns whether
    /// the caller wanted all results.
    #[inline]
    fn poscall(&mut self, first: usize) -> bool {
        let Some(ci) = self.cis.pop() else { return true };
        let mut res = ci.func;
        let wanted = ci.nresults;
        let mut src = first;
        let mut i = wanted;
        while i != 0 && src < self.top {
            self.stack[res] = self.stack[src];
            res += 1;
            src += 1;
            i -= 1;
        }
        while i > 0 {
            self.stack[res] = Value::Nil;
            res += 1;
            i -= 1;
        }
        self.top = res;
        wanted == MULTRET
    }

    /// Runs the function at `func` (arguments above it, up to `top`) to the
    /// end from outside the VM; results are left at `func..top`.
    pub(crate) fn call_at(&mut self, host: &mut H, func: usize, nresults: i32) -> Result<(), LuaError> {
        let depth = self.cis.len();
        self.run(host, depth, Some((func, nresults)), false).map(|_| ())
    }

    /// luaD_call from a native or a metamethod: counts the C stack.
    pub(crate) fn call_nested(&mut self, host: &mut H, func: usize, nresults: i32) -> Result<(), LuaError> {
        self.n_ccalls += 1;
        if self.n_ccalls >= MAXCCALLS {
            if self.n_ccalls == MAXCCALLS {
                let e = self.rt_error(b"C stack overflow");
                self.n_ccalls -= 1;
                return Err(e);
            } else if self.n_ccalls >= MAXCCALLS + (MAXCCALLS >> 3) {
                self.n_ccalls -= 1;
                return Err(self.plain_error(b"error in error handling"));
            }
        }
        let depth = self.cis.len();
        let r = self.run(host, depth, Some((func, nresults)), false);
        self.n_ccalls -= 1;
        r.map(|_| ())
    }

    /// Calls metamethod `f(a, b)` and returns its first result.
    fn call_tm1(&mut self, host: &mut H, f: Value, a: Value, b: Value) -> Result<Value, LuaError> {
        let func = self.top;
        self.ensure_stack(func + 3 + EXTRA_STACK)?;
        self.stack[func] = f;
        self.stack[func + 1] = a;
        self.stack[func + 2] = b;
        self.top = func + 3;
        self.call_nested(host, func, 1)?;
        let r = self.stack[func];
        self.top = func;
        Ok(r)
    }

    /// Calls metamethod `f(a, b, c)` for no result.
    fn call_tm0(&mut self, host: &mut H, f: Value, a: Value, b: Value, c: Value) -> Result<(), LuaError> {
        let func = self.top;
        self.ensure_stack(func + 4 + EXTRA_STACK)?;
        self.stack[func] = f;
        self.stack[func + 1] = a;
        self.stack[func + 2] = b;
        self.stack[func + 3] = c;
        self.top = func + 4;
        self.call_nested(host, func, 0)?;
        self.top = func;
        Ok(())
    }

    /// Resumes (or begins) the run prepared by `start`: `Ok(true)` when done.
    pub(crate) fn resume_run(&mut self, host: &mut H, run: PendingRun) -> Result<bool, LuaError> {
        if !run.entered {
            self.pending = Some(PendingRun { func: run.func, entered: true });
            self.run(host, 0, Some((run.func, MULTRET)), true)
        } else {
            self.run(host, 0, None, true)
        }
    }

    /// The driver: executes frames above `depth` of `run_thread`, catching
    /// errors in pcall frames (and in coroutines, which die of them).
    /// `Ok(false)` means paused (only when `can_pause`).
    fn run(
        &mut self,
        host: &mut H,
        depth: usize,
        mut start: Option<(usize, i32)>,
        can_pause: bool,
    ) -> Result<bool, LuaError> {
        let run_thread = if can_pause { crate::heap::MAIN_THREAD } else { self.cur_thread };
        loop {
            let r = match start.take() {
                Some((func, nres)) => match self.precall(host, func, nres) {
                    Ok(_) => self.execute(host, depth, run_thread, can_pause),
                    Err(e) => Err(e),
                },
                None => self.execute(host, depth, run_thread, can_pause),
            };
            match r {
                Err(LuaError::Runtime(v)) => match self.catch(host, depth, run_thread, v) {
                    Ok(true) => {}
                    Ok(false) => {
                        // Escapes this run: remember where, before the
                        // caller unwinds the frames.
                        self.error_pos = self.innermost_lua_position();
                        return Err(LuaError::Runtime(v));
                    }
                    Err(e) => {
                        self.leave_coroutines(run_thread);
                        return Err(e);
                    }
                },
                Err(e) => {
                    self.leave_coroutines(run_thread);
                    return Err(e);
                }
                ok => return ok,
            }
        }
    }

    /// Switches back to `run_thread` from coroutines it resumed (they die),
    /// when an error ends the run.
    pub(crate) fn leave_coroutines(&mut self, run_thread: u32) {
        while self.cur_thread != run_thread && !self.thread_stack.is_empty() {
            self.switch_back(crate::heap::CoStatus::Dead);
        }
    }

    /// Delivers an error to the innermost pcall frame above `depth` (or, in
    /// a coroutine the run resumed, anywhere in its frames): unwinds to it
    /// and leaves `false, err` as its results. An error no pcall catches
    /// kills the coroutine it happened in and goes to its resumer.
    /// `Ok(false)`: nothing caught it within this run.
    fn catch(&mut self, host: &mut H, depth: usize, run_thread: u32, err: Value) -> Result<bool, LuaError> {
        let mut err = err;
        loop {
            let floor = if self.cur_thread == run_thread { depth } else { 0 };
            let mut idx = self.cis.len();
            let found = loop {
                if idx <= floor {
                    break None;
                }
                idx -= 1;
                if let CiKind::Pcall { first, ccalls, .. } = self.cis[idx].kind {
                    break Some((first, ccalls));
                }
            };
            let Some((first, ccalls)) = found else {
                if self.cur_thread == run_thread || self.thread_stack.is_empty() {
                    return Ok(false);
                }
                // The coroutine dies; its resumer gets the error.
                self.switch_back(crate::heap::CoStatus::Dead);
                match self.resume_failed(err) {
                    Ok(()) => return Ok(true),
                    Err(LuaError::Runtime(v)) => {
                        err = v;
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            };
            let ci = self.cis[idx];
            if first == 1 {
                // Lua::set_pcall_filter (Redis's pcall wrapper).
                if let Some(filter) = self.pcall_filter {
                    err = filter(self, err);
                }
            }
            if first == 2 {
                // xpcall: the handler runs at the error point, before unwinding.
                let handler = self.stack[ci.func + 1];
                err = self.call_handler(host, handler, err)?;
            }
            let callee = ci.func + first as usize;
            self.close_upvals(callee);
            self.cis.truncate(idx + 1);
            self.n_ccalls = ccalls + 1;
            let status = callee - 1;
            self.stack[status + 1] = err;
            self.top = status + 2;
            if let Some(c) = self.cis.last_mut() {
                c.kind = CiKind::Pcall { first, ccalls, ok: false };
            }
            // restore_stack_limit
            if self.size_ci > MAXCALLS && self.cis.len() + 1 < MAXCALLS {
                self.size_ci = MAXCALLS;
            }
            return Ok(true);
        }
    }

    /// Calls an xpcall handler; an error inside it is handled by calling it
    /// again, until the C stack limit gives "error in error handling".
    fn call_handler(&mut self, host: &mut H, handler: Value, err: Value) -> Result<Value, LuaError> {
        let mut err = err;
        let saved = self.n_ccalls;
        loop {
            let func = self.top;
            self.ensure_stack(func + 2 + EXTRA_STACK)?;
            self.stack[func] = handler;
            self.stack[func + 1] = err;
            self.top = func + 2;
            let depth = self.cis.len();
            match self.call_nested(host, func, 1) {
                Ok(()) => {
                    let r = self.stack[func];
                    self.top = func;
                    self.n_ccalls = saved;
                    return Ok(r);
                }
                Err(LuaError::Runtime(v)) => {
                    self.unwind_to(depth, func);
                    self.n_ccalls += 1;
                    if self.n_ccalls >= MAXCCALLS + (MAXCCALLS >> 3) || !matches!(handler, Value::Function(_)) {
                        self.n_ccalls = saved;
                        return Ok(Value::String(self.heap.intern(b"error in error handling")));
                    }
                    err = v;
                }
                Err(e) => {
                    self.n_ccalls = saved;
                    return Err(e);
                }
            }
        }
    }

    // -----------------------------------------------------------------------
    // Table access with metamethods

    /// luaV_gettable. `slot` names `t` for error messages.
    pub(crate) fn get_table(&mut self, host: &mut H, t: Value, key: Value, slot: Option<usize>) -> Result<Value, LuaError> {
        let mut t = t;
        let mut slot = slot;
        for _ in 0..MAXTAGLOOP {
            let tm;
            if let Value::Table(h) = t {
                let tab = self.heap.table(h);
                let res = tab.get(&key);
                if !res.is_nil() {
                    return Ok(res);
                }
                let mt = tab.metatable;
                tm = self.fasttm(mt, Tm::Index);
                if tm.is_nil() {
                    return Ok(res);
                }
            } else {
                tm = self.tm_of(t, Tm::Index);
                if tm.is_nil() {
                    return Err(self.type_error(slot, t, "index"));
                }
            }
            if let Value::Function(_) = tm {
                return self.call_tm1(host, tm, t, key);
            }
            t = tm;
            slot = None;
        }
        Err(self.rt_error(b"loop in gettable"))
    }

    /// `t[k]` with metamethods, for the API.
    pub(crate) fn index_value(&mut self, host: &mut H, t: Value, k: Value) -> Result<Value, LuaError> {
        self.get_table(host, t, k, None)
    }

    /// luaV_settable.
    pub(crate) fn set_table(
        &mut self,
        host: &mut H,
        t: Value,
        key: Value,
        val: Value,
        slot: Option<usize>,
    ) -> Result<(), LuaError> {
        let mut t = t;
        let mut slot = slot;
        for _ in 0..MAXTAGLOOP {
            let tm;
            if let Value::Table(h) = t {
                if self.heap.table(h).readonly {
                    return Err(self.rt_error(b"Attempt to modify a readonly table"));
                }
                if self.memory_limit != 0 && self.heap.table(h).mem_size() > 64 * 1024 {
                    // A big table about to double: check the limit first.
                    if let Some(bytes) = self.heap.table(h).rehash_bytes_if_full(&key) {
                        self.check_room(bytes)?;
                    }
                }
                let r = self.heap.with_table(h, |tab| match tab.set_slot(key) {
                    Ok(s) => Ok((s, tab.slot_get(s), tab.metatable)),
                    Err(e) => Err(e),
                });
                let (s, old, mt) = match r {
                    Ok(x) => x,
                    Err(e) => return Err(self.rt_error(e.message().as_bytes())),
                };
                if !old.is_nil() {
                    self.heap.table_mut(h).slot_put(s, val);
                    return Ok(());
                }
                tm = self.fasttm(mt, Tm::NewIndex);
                if tm.is_nil() {
                    let tab = self.heap.table_mut(h);
                    tab.slot_put(s, val);
                    tab.flags = 0;
                    return self.check_gc();
                }
            } else {
                tm = self.tm_of(t, Tm::NewIndex);
                if tm.is_nil() {
                    return Err(self.type_error(slot, t, "index"));
                }
            }
            if let Value::Function(_) = tm {
                return self.call_tm0(host, tm, t, key, val);
            }
            t = tm;
            slot = None;
        }
        Err(self.rt_error(b"loop in settable"))
    }

    // -----------------------------------------------------------------------
    // Arithmetic, comparison, concatenation, length

    /// Arith: the slow path of an arithmetic instruction.
    fn arith_slow(
        &mut self,
        host: &mut H,
        op: Tm,
        b: Value,
        bslot: Option<usize>,
        c: Value,
        cslot: Option<usize>,
    ) -> Result<Value, LuaError> {
        if let (Some(nb), Some(nc)) = (self.to_number(b), self.to_number(c)) {
            return Ok(Value::Number(arith(op, nb, nc)));
        }
        let mut tm = self.tm_of(b, op);
        if tm.is_nil() {
            tm = self.tm_of(c, op);
        }
        if tm.is_nil() {
            return Err(self.arith_error(b, bslot, c, cslot));
        }
        self.call_tm1(host, tm, b, c)
    }

    /// luaV_equalval for two values of the same type.
    fn equal_val(&mut self, host: &mut H, a: Value, b: Value) -> Result<bool, LuaError> {
        match (a, b) {
            (Value::Table(x), Value::Table(y)) => {
                if x == y {
                    return Ok(true);
                }
                let mt1 = self.heap.table(x).metatable;
                let mt2 = self.heap.table(y).metatable;
                let tm1 = self.fasttm(mt1, Tm::Eq);
                if tm1.is_nil() {
                    return Ok(false);
                }
                let tm = if mt1 == mt2 {
                    tm1
                } else {
                    let tm2 = self.fasttm(mt2, Tm::Eq);
                    if tm2.is_nil() || tm1 != tm2 {
                        return Ok(false);
                    }
                    tm1
                };
                Ok(!self.call_tm1(host, tm, a, b)?.is_falsy())
            }
            _ => Ok(a == b),
        }
    }

    /// call_orderTM: `Some(result)` if both operands share the metamethod.
    fn order_tm(&mut self, host: &mut H, a: Value, b: Value, e: Tm) -> Result<Option<bool>, LuaError> {
        let tm1 = self.tm_of(a, e);
        if tm1.is_nil() {
            return Ok(None);
        }
        let tm2 = self.tm_of(b, e);
        if tm1 != tm2 {
            return Ok(None);
        }
        Ok(Some(!self.call_tm1(host, tm1, a, b)?.is_falsy()))
    }

    /// luaV_lessthan.
    pub(crate) fn less_than(&mut self, host: &mut H, a: Value, b: Value) -> Result<bool, LuaError> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x < y),
            (Value::String(x), Value::String(y)) => Ok(self.heap.str_bytes(x) < self.heap.str_bytes(y)),
            _ => {
                if core::mem::discriminant(&a) == core::mem::discriminant(&b) {
                    if let Some(r) = self.order_tm(host, a, b, Tm::Lt)? {
                        return Ok(r);
                    }
                }
                Err(self.order_error(a, b))
            }
        }
    }

    /// lessequal.
    fn less_equal(&mut self, host: &mut H, a: Value, b: Value) -> Result<bool, LuaError> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => Ok(x <= y),
            (Value::String(x), Value::String(y)) => Ok(self.heap.str_bytes(x) <= self.heap.str_bytes(y)),
            _ => {
                if core::mem::discriminant(&a) == core::mem::discriminant(&b) {
                    if let Some(r) = self.order_tm(host, a, b, Tm::Le)? {
                        return Ok(r);
                    }
                    if let Some(r) = self.order_tm(host, b, a, Tm::Lt)? {
                        return Ok(!r);
                    }
                }
                Err(self.order_error(a, b))
            }
        }
    }

    /// luaV_concat over registers `first..=last` (absolute stack indexes);
    /// the result ends up in `first`.
    fn concat(&mut self, host: &mut H, first: usize, last: usize) -> Result<(), LuaError> {
        let mut total = last - first + 1;
        let mut last = last;
        while total > 1 {
            let top = last + 1;
            let a = self.stack[top - 2];
            let b = self.stack[top - 1];
            let mut n = 2;
            let a_ok = matches!(a, Value::String(_) | Value::Number(_));
            let b_ok = matches!(b, Value::String(_) | Value::Number(_));
            if !a_ok || !b_ok {
                let mut tm = self.tm_of(a, Tm::Concat);
                if tm.is_nil() {
                    tm = self.tm_of(b, Tm::Concat);
                }
                if tm.is_nil() {
                    let (bad, slot) = if a_ok { (b, top - 1) } else { (a, top - 2) };
                    return Err(self.type_error(Some(slot), bad, "concatenate"));
                }
                let r = self.call_tm1(host, tm, a, b)?;
                self.stack[top - 2] = r;
            } else {
                // Convert numbers in place, as tostring() does on the stack.
                if let Value::Number(x) = b {
                    self.stack[top - 1] = Value::String(self.number_to_str(x));
                }
                let blen = match self.stack[top - 1] {
                    Value::String(s) => self.heap.str_bytes(s).len(),
                    _ => 0,
                };
                if blen == 0 {
                    if let Value::Number(x) = a {
                        self.stack[top - 2] = Value::String(self.number_to_str(x));
                    }
                } else {
                    // Collect as many string/number operands as possible.
                    n = 1;
                    while n < total {
                        let v = self.stack[top - n - 1];
                        match v {
                            Value::String(_) => {}
                            Value::Number(x) => self.stack[top - n - 1] = Value::String(self.number_to_str(x)),
                            _ => break,
                        }
                        n += 1;
                    }
                    let mut total = 0usize;
                    for i in 1..=n {
                        if let Value::String(s) = self.stack[top - i] {
                            total = total.saturating_add(self.heap.str_bytes(s).len());
                        }
                    }
                    // The result and its copy in the buffer must fit under
                    // the limit: refuse before allocating.
                    self.check_room(total.saturating_mul(2))?;
                    let mut buf = core::mem::take(&mut self.buf);
                    buf.clear();
                    for i in (1..=n).rev() {
                        if let Value::String(s) = self.stack[top - i] {
                            buf.extend_from_slice(self.heap.str_bytes(s));
                        }
                    }
                    let s = self.heap.intern(&buf);
                    if buf.capacity() > 64 * 1024 {
                        buf = Vec::new();
                    }
                    self.buf = buf;
                    self.stack[top - n] = Value::String(s);
                }
            }
            total -= n - 1;
            last -= n - 1;
        }
        Ok(())
    }

    /// OP_LEN's slow path (`__len` for non-tables, non-strings).
    fn len_slow(&mut self, host: &mut H, v: Value, slot: usize) -> Result<Value, LuaError> {
        let tm = self.tm_of(v, Tm::Len);
        if tm.is_nil() {
            return Err(self.type_error(Some(slot), v, "get length of"));
        }
        self.call_tm1(host, tm, v, Value::Nil)
    }

    // -----------------------------------------------------------------------
    // The interpreter loop

    /// Runs Lua frames above `depth` until the frame at `depth` returns
    /// (`Ok(true)`) or the budget pauses the run (`Ok(false)`).
    fn execute(&mut self, host: &mut H, depth: usize, run_thread: u32, can_pause: bool) -> Result<bool, LuaError> {
        let mut lp: Option<Arc<LProto>> = None;
        'newframe: loop {
            // Settle finished pcall frames and coroutines; stop at our
            // boundary.
            loop {
                if self.cur_thread == run_thread {
                    if self.cis.len() <= depth {
                        return Ok(true);
                    }
                } else if self.cis.is_empty() {
                    self.coroutine_returned()?;
                    continue;
                }
                let ci = self.cis[self.cis.len() - 1];
                match ci.kind {
                    CiKind::Lua => break,
                    CiKind::Pcall { .. } => {
                        let multret = ci.nresults == MULTRET;
                        self.finish_pcall();
                        if !multret {
                            if let Some(c) = self.cis.last() {
                                if c.kind == CiKind::Lua {
                                    self.top = c.top;
                                }
                            }
                        }
                    }
                    CiKind::Native => {
                        // A native frame is never above a run's boundary.
                        return Err(self.plain_error(b"invalid native frame"));
                    }
                }
            }
            let ci_idx = self.cis.len() - 1;
            let ci = self.cis[ci_idx];
            let cl = ci.func_ref;
            // The frame's prototype, held in `lp` across frames: entering a
            // frame of the same prototype (recursion, a loop calling one
            // function) reuses it instead of an atomic count up and down
            // per call and per return.
            match &self.funcs.items[cl.0 as usize] {
                Closure::Lua { p, .. } => {
                    if !matches!(&lp, Some(cur) if Arc::ptr_eq(cur, p)) {
                        lp = Some(p.clone());
                    }
                }
                _ => return Err(self.plain_error(b"invalid frame")),
            }
            let Some(lp) = lp.as_ref() else { return Err(self.plain_error(b"invalid frame")) };
            let code: &[u32] = &lp.p.code;
            let k: &[Value] = &lp.k;
            let base = ci.base;
            let mut pc = ci.savedpc;

            // The budget counter lives in a local while the frame runs; it is
            // written back before anything that can run other code (nested
            // runs count on `self.steps_left`) and reloaded after.
            let mut steps = self.steps_left;
            macro_rules! savepc {
                () => {{
                    self.cis[ci_idx].savedpc = pc;
                    self.steps_left = steps;
                }};
            }
            macro_rules! reload {
                () => {{
                    steps = self.steps_left;
                }};
            }
            macro_rules! rk {
                ($x:expr) => {{
                    let x = $x;
                    if x & 0x100 != 0 {
                        k[x & 0xff]
                    } else {
                        self.stack[base + x]
                    }
                }};
            }
            macro_rules! rk_slot {
                ($x:expr) => {{
                    let x = $x;
                    if x & 0x100 != 0 {
                        None
                    } else {
                        Some(base + x)
                    }
                }};
            }

            macro_rules! rk_num {
                ($x:expr) => {{
                    let x = $x;
                    if x & 0x100 != 0 {
                        num_of(&k[x & 0xff])
                    } else {
                        num_of(&self.stack[base + x])
                    }
                }};
            }
            macro_rules! arith_op {
                ($i:expr, $ra:expr, $tm:expr, $f:expr) => {{
                    let bx = proto::get_b($i);
                    let cx = proto::get_c($i);
                    if let (Some(nb), Some(nc)) = (rk_num!(bx), rk_num!(cx)) {
                        self.stack[$ra] = Value::Number($f(nb, nc));
                    } else {
                        let b = rk!(bx);
                        let c = rk!(cx);
                        savepc!();
                        let r = self.arith_slow(host, $tm, b, rk_slot!(bx), c, rk_slot!(cx))?;
                        reload!();
                        self.stack[$ra] = r;
                    }
                }};
            }

            if ci.tfor {
                // The iterator of a generic for returned: finish TFORLOOP.
                self.cis[ci_idx].tfor = false;
                let i = code[pc - 1];
                let ra = base + proto::get_a(i);
                self.top = ci.top;
                let cb = ra + 3;
                if !self.stack[cb].is_nil() {
                    self.stack[cb - 1] = self.stack[cb];
                    pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                } else {
                    pc += 1;
                }
            }

            loop {
                if steps == 0 {
                    savepc!();
                    if can_pause {
                        self.pause_pending = false;
                        return Ok(false);
                    }
                    if host.should_kill() {
                        return Err(LuaError::Killed);
                    }
                    steps = self.kill_interval;
                    self.pause_pending = true;
                }
                steps -= 1;
                let i = code[pc];
                pc += 1;
                let a = proto::get_a(i);
                let ra = base + a;
                match i & 0x3f {
                    op::MOVE => {
                        self.stack[ra] = self.stack[base + proto::get_b(i)];
                    }
                    op::LOADK => {
                        self.stack[ra] = k[proto::get_bx(i)];
                    }
                    op::LOADBOOL => {
                        self.stack[ra] = Value::Boolean(proto::get_b(i) != 0);
                        if proto::get_c(i) != 0 {
                            pc += 1;
                        }
                    }
                    op::LOADNIL => {
                        let rb = base + proto::get_b(i);
                        for v in &mut self.stack[ra..=rb] {
                            *v = Value::Nil;
                        }
                    }
                    op::GETUPVAL => {
                        let u = match &self.funcs.items[cl.0 as usize] {
                            Closure::Lua { upvals, .. } => upvals[proto::get_b(i)],
                            _ => 0,
                        };
                        // Copy straight from where the value lives (a value
                        // returned through a helper is rebuilt piecewise).
                        match self.heap.upvals.items[u as usize] {
                            UpVal::Open { idx, thread } if thread == self.cur_thread => {
                                self.stack[ra] = self.stack[idx as usize];
                            }
                            UpVal::Closed(v) => self.stack[ra] = v,
                            UpVal::Open { .. } => {
                                let v = self.upval_get(u);
                                self.stack[ra] = v;
                            }
                        }
                    }
                    op::GETGLOBAL => {
                        let key = k[proto::get_bx(i)];
                        let env = match &self.funcs.items[cl.0 as usize] {
                            Closure::Lua { env, .. } => *env,
                            _ => self.globals,
                        };
                        let v = {
                            let tab = self.heap.table(env);
                            let v = match key {
                                Value::String(s) => tab.get_str(s),
                                _ => tab.get(&key),
                            };
                            if v.is_nil() && tab.metatable.is_some() {
                                savepc!();
                                let v = self.get_table(host, Value::Table(env), key, None)?;
                                reload!();
                                v
                            } else {
                                v
                            }
                        };
                        self.stack[ra] = v;
                    }
                    op::GETTABLE => {
                        let rb = base + proto::get_b(i);
                        let t = self.stack[rb];
                        let key = rk!(proto::get_c(i));
                        let fast = match t {
                            Value::Table(h) => {
                                let tab = self.heap.table(h);
                                let v = tab.get(&key);
                                if !v.is_nil() || tab.metatable.is_none() {
                                    Some(v)
                                } else {
                                    None
                                }
                            }
                            _ => None,
                        };
                        let v = match fast {
                            Some(v) => v,
                            None => {
                                savepc!();
                                let v = self.get_table(host, t, key, Some(rb))?;
                                reload!();
                                v
                            }
                        };
                        self.stack[base + a] = v;
                    }
                    op::SETGLOBAL => {
                        let key = k[proto::get_bx(i)];
                        let env = match &self.funcs.items[cl.0 as usize] {
                            Closure::Lua { env, .. } => *env,
                            _ => self.globals,
                        };
                        let v = self.stack[ra];
                        // Fast path: an existing global of a plain table.
                        let done = match key {
                            Value::String(s) => {
                                let tab = self.heap.table_mut(env);
                                if tab.metatable.is_none() && !tab.readonly {
                                    tab.set_existing_str(s, v)
                                } else {
                                    false
                                }
                            }
                            _ => false,
                        };
                        if !done {
                            savepc!();
                            self.set_table(host, Value::Table(env), key, v, None)?;
                            reload!();
                        }
                    }
                    op::SETUPVAL => {
                        let u = match &self.funcs.items[cl.0 as usize] {
                            Closure::Lua { upvals, .. } => upvals[proto::get_b(i)],
                            _ => 0,
                        };
                        let v = self.stack[ra];
                        self.upval_set(u, v);
                    }
                    op::SETTABLE => {
                        let t = self.stack[ra];
                        let key = rk!(proto::get_b(i));
                        let v = rk!(proto::get_c(i));
                        // Fast path: an existing array slot of a table
                        // without metatable.
                        let done = match (t, key) {
                            (Value::Table(h), Value::Number(n)) => {
                                let tab = self.heap.table_mut(h);
                                let ki = n as i32;
                                if tab.metatable.is_none()
                                    && !tab.readonly
                                    && ki as f64 == n
                                    && ki >= 1
                                    && (ki as usize) <= tab.array.len()
                                {
                                    tab.array[ki as usize - 1] = v;
                                    tab.flags = 0;
                                    true
                                } else {
                                    false
                                }
                            }
                            _ => false,
                        };
                        if !done {
                            savepc!();
                            self.set_table(host, t, key, v, Some(ra))?;
                            reload!();
                        }
                    }
                    op::NEWTABLE => {
                        let b = fb2int(proto::get_b(i));
                        let c = fb2int(proto::get_c(i));
                        if b.saturating_add(c) > 1024 {
                            // Sizes come from the code: check before allocating.
                            savepc!();
                            self.check_room(b.saturating_mul(16).saturating_add(c.saturating_mul(48)))?;
                        }
                        let t = self.heap.new_table(Table::with_sizes(b, c));
                        self.stack[ra] = Value::Table(t);
                        savepc!();
                        self.check_gc()?;
                    }
                    op::SELF => {
                        let rb = base + proto::get_b(i);
                        let obj = self.stack[rb];
                        self.stack[ra + 1] = obj;
                        let key = rk!(proto::get_c(i));
                        // Fast path: the method is in the table itself or in
                        // the table its metatable's __index names.
                        let mut found = Value::Nil;
                        if let (Value::Table(h), Value::String(ks)) = (obj, key) {
                            let tab = self.heap.table(h);
                            found = tab.get_str(ks);
                            if found.is_nil() {
                                if let Some(mt) = tab.metatable {
                                    let idx = self.heap.table(mt).get_str(self.tm_names[Tm::Index as usize]);
                                    if let Value::Table(ih) = idx {
                                        found = self.heap.table(ih).get_str(ks);
                                    }
                                }
                            }
                        }
                        let v = if !found.is_nil() {
                            found
                        } else {
                            savepc!();
                            let v = self.get_table(host, obj, key, Some(rb))?;
                            reload!();
                            v
                        };
                        self.stack[ra] = v;
                    }
                    op::ADD => arith_op!(i, ra, Tm::Add, |x: f64, y: f64| x86_nan(x + y, x, y)),
                    op::SUB => arith_op!(i, ra, Tm::Sub, |x: f64, y: f64| x86_nan(x - y, x, y)),
                    op::MUL => arith_op!(i, ra, Tm::Mul, |x: f64, y: f64| x86_nan(x * y, x, y)),
                    op::DIV => arith_op!(i, ra, Tm::Div, |x: f64, y: f64| x86_nan(x / y, x, y)),
                    op::MOD => arith_op!(i, ra, Tm::Mod, nummod),
                    op::POW => arith_op!(i, ra, Tm::Pow, crate::number::pow),
                    op::UNM => {
                        let rb = base + proto::get_b(i);
                        let b = self.stack[rb];
                        if let Value::Number(n) = b {
                            self.stack[ra] = Value::Number(-n);
                        } else {
                            savepc!();
                            let r = self.arith_slow(host, Tm::Unm, b, Some(rb), b, Some(rb))?;
                            reload!();
                            self.stack[base + a] = r;
                        }
                    }
                    op::NOT => {
                        let r = self.stack[base + proto::get_b(i)].is_falsy();
                        self.stack[ra] = Value::Boolean(r);
                    }
                    op::LEN => {
                        let rb = base + proto::get_b(i);
                        let v = self.stack[rb];
                        let r = match v {
                            Value::Table(t) => Value::Number(self.heap.table(t).getn() as f64),
                            Value::String(s) => Value::Number(self.heap.str_bytes(s).len() as f64),
                            _ => {
                                savepc!();
                                let r = self.len_slow(host, v, rb)?;
                                reload!();
                                r
                            }
                        };
                        self.stack[base + a] = r;
                    }
                    op::CONCAT => {
                        let b = proto::get_b(i);
                        let c = proto::get_c(i);
                        savepc!();
                        self.concat(host, base + b, base + c)?;
                        reload!();
                        self.stack[base + a] = self.stack[base + b];
                        self.check_gc()?;
                    }
                    op::JMP => {
                        pc = (pc as i64 + proto::get_sbx(i) as i64) as usize;
                    }
                    op::EQ => {
                        let b = rk!(proto::get_b(i));
                        let c = rk!(proto::get_c(i));
                        let eq = if core::mem::discriminant(&b) != core::mem::discriminant(&c) {
                            false
                        } else if let (Value::Table(_), Value::Table(_)) = (b, c) {
                            savepc!();
                            let r = self.equal_val(host, b, c)?;
                            reload!();
                            r
                        } else {
                            b == c
                        };
                        if eq == (a != 0) {
                            pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    op::LT => {
                        let b = rk!(proto::get_b(i));
                        let c = rk!(proto::get_c(i));
                        let r = if let (Value::Number(x), Value::Number(y)) = (b, c) {
                            x < y
                        } else {
                            savepc!();
                            let r = self.less_than(host, b, c)?;
                            reload!();
                            r
                        };
                        if r == (a != 0) {
                            pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    op::LE => {
                        let b = rk!(proto::get_b(i));
                        let c = rk!(proto::get_c(i));
                        let r = if let (Value::Number(x), Value::Number(y)) = (b, c) {
                            x <= y
                        } else {
                            savepc!();
                            let r = self.less_equal(host, b, c)?;
                            reload!();
                            r
                        };
                        if r == (a != 0) {
                            pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    op::TEST => {
                        if self.stack[ra].is_falsy() != (proto::get_c(i) != 0) {
                            pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    op::TESTSET => {
                        let rb = self.stack[base + proto::get_b(i)];
                        if rb.is_falsy() != (proto::get_c(i) != 0) {
                            self.stack[ra] = rb;
                            pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                        } else {
                            pc += 1;
                        }
                    }
                    op::CALL => {
                        let b = proto::get_b(i);
                        let nresults = proto::get_c(i) as i32 - 1;
                        if b != 0 {
                            self.top = ra + b;
                        }
                        savepc!();
                        // Fast path (enter_lua inlined): a Lua function with
                        // fixed parameters, the stack and the call depth
                        // already big enough. Anything else goes through
                        // precall, which grows them or raises.
                        if let Value::Function(f) = self.stack[ra] {
                            if let Closure::Lua { p, .. } = &self.funcs.items[f.0 as usize] {
                                let nbase = ra + 1;
                                let ntop = nbase + p.maxstack;
                                if p.is_vararg == 0 && ntop + EXTRA_STACK <= self.stack.len() && self.cis.len() + 1 < self.size_ci {
                                    // Extra arguments are dropped, missing
                                    // ones and the other registers are nil.
                                    let from = self.top.min(nbase + p.nparams);
                                    for v in &mut self.stack[from..ntop] {
                                        *v = Value::Nil;
                                    }
                                    self.top = ntop;
                                    self.cis.push(CallInfo {
                                        func: ra,
                                        base: nbase,
                                        top: ntop,
                                        savedpc: 0,
                                        nresults,
                                        tailcalls: 0,
                                        func_ref: f,
                                        kind: CiKind::Lua,
                                        tfor: false,
                                    });
                                    continue 'newframe;
                                }
                            }
                        }
                        match self.precall(host, ra, nresults)? {
                            Pre::Lua => continue 'newframe,
                            Pre::Done => {
                                if nresults >= 0 {
                                    self.top = ci.top;
                                }
                                reload!();
                                if self.pause_pending && can_pause {
                                    steps = 0;
                                }
                                self.check_gc()?;
                            }
                        }
                    }
                    op::TAILCALL => {
                        let b = proto::get_b(i);
                        if b != 0 {
                            self.top = ra + b;
                        }
                        savepc!();
                        let is_lua = match self.stack[ra] {
                            Value::Function(f) => matches!(self.funcs.items[f.0 as usize], Closure::Lua { .. }),
                            _ => {
                                let tm = self.tm_of(self.stack[ra], Tm::Call);
                                matches!(tm, Value::Function(f) if matches!(self.funcs.items[f.0 as usize], Closure::Lua { .. }))
                            }
                        };
                        if is_lua {
                            // Resolve __call first (it shifts the arguments).
                            if !matches!(self.stack[ra], Value::Function(_)) {
                                let v = self.stack[ra];
                                self.tryfunc_tm(ra, v)?;
                            }
                            self.check_ci()?;
                            self.close_upvals(base);
                            let dst = ci.func;
                            let n = self.top - ra;
                            for j in 0..n {
                                self.stack[dst + j] = self.stack[ra + j];
                            }
                            self.top = dst + n;
                            let old = self.cis.pop();
                            match self.precall(host, dst, ci.nresults)? {
                                Pre::Lua => {
                                    if let (Some(c), Some(old)) = (self.cis.last_mut(), old) {
                                        c.tailcalls = old.tailcalls + 1;
                                    }
                                    continue 'newframe;
                                }
                                Pre::Done => return Err(self.plain_error(b"invalid tail call")),
                            }
                        }
                        match self.precall(host, ra, MULTRET)? {
                            Pre::Lua => continue 'newframe,
                            Pre::Done => {
                                reload!();
                                if self.pause_pending && can_pause {
                                    steps = 0;
                                }
                                self.check_gc()?;
                            }
                        }
                    }
                    op::RETURN => {
                        let b = proto::get_b(i);
                        if b != 0 {
                            self.top = ra + b - 1;
                        }
                        if !self.open_upvals.is_empty() {
                            self.close_upvals(base);
                        }
                        savepc!();
                        let multret = self.poscall(ra);
                        if self.cis.len() > depth {
                            if let Some(c) = self.cis.last() {
                                if c.kind == CiKind::Lua && !multret {
                                    self.top = c.top;
                                }
                            }
                        }
                        continue 'newframe;
                    }
                    op::FORLOOP => {
                        let r = &mut self.stack[ra..ra + 4];
                        if let (Some(idx), Some(limit), Some(step)) = (num_of(&r[0]), num_of(&r[1]), num_of(&r[2])) {
                            let idx = idx + step;
                            let cont = if 0.0 < step { idx <= limit } else { limit <= idx };
                            if cont {
                                pc = (pc as i64 + proto::get_sbx(i) as i64) as usize;
                                r[0] = Value::Number(idx);
                                r[3] = Value::Number(idx);
                            }
                        }
                    }
                    op::FORPREP => {
                        savepc!();
                        let init = self.to_number(self.stack[ra]);
                        let limit = self.to_number(self.stack[ra + 1]);
                        let step = self.to_number(self.stack[ra + 2]);
                        let Some(init) = init else {
                            return Err(self.rt_error(b"'for' initial value must be a number"));
                        };
                        let Some(limit) = limit else {
                            return Err(self.rt_error(b"'for' limit must be a number"));
                        };
                        let Some(step) = step else {
                            return Err(self.rt_error(b"'for' step must be a number"));
                        };
                        self.stack[ra] = Value::Number(init - step);
                        self.stack[ra + 1] = Value::Number(limit);
                        self.stack[ra + 2] = Value::Number(step);
                        pc = (pc as i64 + proto::get_sbx(i) as i64) as usize;
                    }
                    op::TFORLOOP => {
                        let cb = ra + 3;
                        self.stack[cb + 2] = self.stack[ra + 2];
                        self.stack[cb + 1] = self.stack[ra + 1];
                        self.stack[cb] = self.stack[ra];
                        self.top = cb + 3;
                        savepc!();
                        let c = proto::get_c(i) as i32;
                        self.cis[ci_idx].tfor = true;
                        match self.precall(host, cb, c)? {
                            Pre::Lua => continue 'newframe,
                            Pre::Done => {
                                reload!();
                                if self.pause_pending && can_pause {
                                    steps = 0;
                                }
                                self.cis[ci_idx].tfor = false;
                                self.top = ci.top;
                                if !self.stack[cb].is_nil() {
                                    self.stack[cb - 1] = self.stack[cb];
                                    pc = (pc as i64 + 1 + proto::get_sbx(code[pc]) as i64) as usize;
                                } else {
                                    pc += 1;
                                }
                                self.check_gc()?;
                            }
                        }
                    }
                    op::SETLIST => {
                        let mut n = proto::get_b(i);
                        let mut c = proto::get_c(i);
                        // With B = 0 the values run up to `top`: it comes
                        // back to the frame's top only once they are stored
                        // (a collection before that must see them).
                        let open = n == 0;
                        if open {
                            n = self.top - ra - 1;
                        }
                        if c == 0 {
                            c = code[pc] as usize;
                            pc += 1;
                        }
                        let Value::Table(h) = self.stack[ra] else {
                            self.top = ci.top;
                            continue;
                        };
                        if c == 0 {
                            return Err(self.plain_error(b"invalid SETLIST"));
                        }
                        let last = (c - 1).saturating_mul(proto::LFIELDS_PER_FLUSH as usize).saturating_add(n);
                        savepc!();
                        if last > self.heap.table(h).array.len() {
                            self.check_room((last - self.heap.table(h).array.len()).saturating_mul(16))?;
                        }
                        let stack = &self.stack;
                        let r: Result<(), crate::table::TableError> = self.heap.with_table(h, |tab| {
                            if last > tab.array.len() {
                                tab.resize_array(last)?;
                            }
                            for j in (1..=n).rev() {
                                tab.raw_set_int((last - n + j) as i64, stack[ra + j])?;
                            }
                            Ok(())
                        });
                        if let Err(e) = r {
                            return Err(self.rt_error(e.message().as_bytes()));
                        }
                        if open {
                            self.top = ci.top;
                        }
                        self.check_gc()?;
                    }
                    op::CLOSE => {
                        self.close_upvals(ra);
                    }
                    op::CLOSURE => {
                        let bx = proto::get_bx(i);
                        let child = lp.children[bx].clone();
                        let nup = child.p.nups as usize;
                        let mut ups = Vec::with_capacity(nup);
                        for _ in 0..nup {
                            let u = code[pc];
                            pc += 1;
                            if proto::get_op(u) == Some(OpCode::GetUpval) {
                                let uv = match &self.funcs.items[cl.0 as usize] {
                                    Closure::Lua { upvals, .. } => upvals[proto::get_b(u)],
                                    _ => 0,
                                };
                                ups.push(uv);
                            } else {
                                ups.push(self.find_upval(base + proto::get_b(u)));
                            }
                        }
                        let env = match &self.funcs.items[cl.0 as usize] {
                            Closure::Lua { env, .. } => *env,
                            _ => self.globals,
                        };
                        let f = self.alloc_func(Closure::Lua { p: child, upvals: ups.into(), env });
                        self.stack[ra] = Value::Function(f);
                        savepc!();
                        self.check_gc()?;
                    }
                    op::VARARG => {
                        let b = proto::get_b(i) as i32 - 1;
                        let n = ci.base - ci.func - 1 - lp.p.numparams as usize;
                        let n = n.min(ci.base);
                        let cnt = if b == MULTRET {
                            self.ensure_stack(ra + n + EXTRA_STACK)?;
                            self.top = ra + n;
                            n
                        } else {
                            b as usize
                        };
                        for j in 0..cnt {
                            self.stack[ra + j] = if j < n { self.stack[ci.base - n + j] } else { Value::Nil };
                        }
                    }
                    _ => return Err(self.plain_error(b"invalid opcode")),
                }
            }
        }
    }

}

fn push_pointer(out: &mut Vec<u8>, kind: &str, p: usize) {
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b": 0x");
    let mut digits = [0u8; 16];
    let mut n = p;
    let mut len = 0;
    loop {
        digits[len] = b"0123456789abcdef"[n & 15];
        n >>= 4;
        len += 1;
        if n == 0 {
            break;
        }
    }
    while len < 8 {
        digits[len] = b'0';
        len += 1;
    }
    for j in (0..len).rev() {
        out.push(digits[j]);
    }
}
