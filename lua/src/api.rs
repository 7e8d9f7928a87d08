//! The public API: the state [`Lua`], the [`Host`] trait the embedder
//! implements, and [`Ctx`], what a native function sees.
//!
//! A state runs one script at a time. [`Lua::call`] runs a function to the
//! end; [`Lua::start`] + [`Lua::resume`] run it under an instruction budget
//! and can stop between instructions ([`Step::Paused`]) and continue later,
//! also inside `pcall`. Native functions re-enter the VM with [`Ctx::call`];
//! such nested runs cannot pause, but they count instructions and poll
//! [`Host::should_kill`].
//!
//! Rules for natives: a native holds values in Rust locals only for the
//! duration of its call; the collector never runs inside a native, but it can
//! run inside a [`Ctx::call`], so a value a native keeps across `Ctx::call`
//! must also be one of its arguments, one of its pushed results, or reachable
//! from them.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::heap::{Arena, Closure, Heap, NativeKind};
use crate::table::Table;
use crate::value::{FuncRef, LuaError, StrRef, TableRef, Value};
use crate::vm::{CallInfo, TM_N, TM_NAMES};

/// A native function: reads its arguments from the [`Ctx`], pushes its
/// results with [`Ctx::push`] and returns how many it pushed.
pub type NativeFn<H> = fn(&mut Ctx<'_, H>) -> Result<usize, LuaError>;

/// What the embedder provides to a run. Every method has a default.
pub trait Host {
    /// Polled by nested runs (natives calling back into Lua) every
    /// [`Lua::set_kill_check_interval`] instructions, and by [`Lua::call`]:
    /// `true` ends the run with [`LuaError::Killed`].
    fn should_kill(&mut self) -> bool {
        false
    }

    /// Where the base library's `print` writes: one call per `print`, with the
    /// whole line (arguments separated by tabs, ending in `\n`).
    fn write_out(&mut self, bytes: &[u8]) {
        let _ = bytes;
    }
}

impl Host for () {}

/// The outcome of [`Lua::resume`].
#[derive(Debug, PartialEq)]
pub enum Step {
    /// The function returned these values.
    Done(Vec<Value>),
    /// The budget ran out; call [`Lua::resume`] again to continue.
    Paused,
}

/// A run started by [`Lua::start`] and not finished yet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingRun {
    /// Stack index of the function being run.
    pub(crate) func: usize,
    /// Whether the function has been entered (the first resume enters it).
    pub(crate) entered: bool,
}

/// One Lua state: the heap, the stack, the globals.
pub struct Lua<H> {
    pub(crate) heap: Heap,
    pub(crate) funcs: Arena<Closure<H>>,
    pub(crate) stack: Vec<Value>,
    pub(crate) top: usize,
    pub(crate) cis: Vec<CallInfo>,
    /// Open upvalues, sorted by stack index (ascending).
    pub(crate) open_upvals: Vec<u32>,
    pub(crate) globals: TableRef,
    pub(crate) registry: TableRef,
    pub(crate) string_mt: Option<TableRef>,
    pub(crate) tm_names: [StrRef; TM_N],
    /// Values kept alive for the runtime's own use (e.g. the `__gc`-free
    /// library tables captured by natives).
    pub(crate) extra_roots: Vec<Value>,
    pub(crate) gc_epoch: u32,
    pub(crate) gc_threshold: usize,
    /// Fixed collection step (0 = proportional).
    pub(crate) gc_step: usize,
    /// The part of `heap.bytes` that loaded prototypes account for
    /// (recomputed by each collection from the live ones).
    pub(crate) proto_bytes: usize,
    pub(crate) memory_limit: usize,
    /// Nested native->Lua calls (luaD_call's nCcalls).
    pub(crate) n_ccalls: u32,
    /// Emulated size of Lua 5.1's CallInfo array (for "stack overflow" at the
    /// same depth as C Lua).
    pub(crate) size_ci: usize,
    /// Instructions left before the budget check.
    pub(crate) steps_left: u64,
    pub(crate) kill_interval: u64,
    /// A nested run used up the budget: pause at the next chance.
    pub(crate) pause_pending: bool,
    pub(crate) pending: Option<PendingRun>,
    /// Where the last error that no pcall caught was raised: the source and
    /// current line of the innermost Lua frame then (see
    /// [`Lua::error_position`]).
    pub(crate) error_pos: Option<(Arc<[u8]>, u32)>,
    /// Applied to the error value `pcall` returns (see
    /// [`Lua::set_pcall_filter`]).
    pub(crate) pcall_filter: Option<fn(&mut Lua<H>, Value) -> Value>,
    /// Scratch buffer for concatenation and number formatting.
    pub(crate) buf: Vec<u8>,
    /// The running thread (MAIN_THREAD or a coroutine's index).
    pub(crate) cur_thread: u32,
    /// The threads that resumed the running one, with their saved state
    /// (innermost last).
    pub(crate) thread_stack: Vec<crate::heap::Resumer>,
    /// `math.random`'s generator (glibc's `rand()`).
    pub(crate) rand_state: crate::lib_math::GlibcRand,
}

impl<H: Host> Default for Lua<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H: Host> Lua<H> {
    /// A bare state behaving as Redis 7.0's Lua: empty globals, no
    /// libraries (see `open_base` and the other `open_*` methods). Strings
    /// hash as Redis's patched lstring.c does (every character), so `pairs`
    /// order matches Redis for keys of any length.
    pub fn new() -> Self {
        Self::with_string_hash(true)
    }

    /// A bare state hashing strings as stock Lua 5.1.5 (at most 32 sampled
    /// characters), so `pairs` order matches the `lua5.1` interpreter even
    /// for keys longer than 31 bytes.
    pub fn new_lua51() -> Self {
        Self::with_string_hash(false)
    }

    fn with_string_hash(full: bool) -> Self {
        let mut heap = Heap::new(full);
        let globals = heap.new_table(Table::with_sizes(0, 2));
        let registry = heap.new_table(Table::with_sizes(0, 2));
        let tm_names = core::array::from_fn(|i| heap.intern(TM_NAMES[i].as_bytes()));
        Lua {
            heap,
            funcs: Arena::new_funcs(),
            stack: Vec::new(),
            top: 0,
            cis: Vec::new(),
            open_upvals: Vec::new(),
            globals,
            registry,
            string_mt: None,
            tm_names,
            extra_roots: Vec::new(),
            gc_epoch: 0,
            gc_threshold: 256 * 1024,
            gc_step: 0,
            proto_bytes: 0,
            memory_limit: 0,
            n_ccalls: 0,
            size_ci: crate::vm::BASIC_CI_SIZE,
            steps_left: u64::MAX,
            kill_interval: 100_000,
            pause_pending: false,
            pending: None,
            error_pos: None,
            pcall_filter: None,
            buf: Vec::new(),
            rand_state: crate::lib_math::GlibcRand::default(),
            cur_thread: crate::heap::MAIN_THREAD,
            thread_stack: Vec::new(),
        }
    }

    /// Replaces the globals table: chunks loaded from now on (and natives
    /// registered from now on) get `t` as their environment; functions made
    /// before keep theirs (`lua_replace(L, LUA_GLOBALSINDEX)`). Redis's
    /// functions engine runs libraries in an empty read-only table whose
    /// `__index` is the real globals.
    pub fn set_globals(&mut self, t: TableRef) {
        self.globals = t;
    }

    /// The globals table (`_G`, the environment of loaded chunks).
    pub fn globals(&self) -> TableRef {
        self.globals
    }

    /// The registry: a table for the embedder's own use, never visible to
    /// scripts.
    pub fn registry(&self) -> TableRef {
        self.registry
    }

    /// The interned string with these bytes.
    pub fn new_string(&mut self, bytes: &[u8]) -> StrRef {
        self.heap.intern(bytes)
    }

    /// The interned string for `bytes[start..end]` of an existing string
    /// (clamped to its length), without copying it first.
    pub fn new_substring(&mut self, s: StrRef, start: usize, end: usize) -> StrRef {
        let rc = self.heap.str_rc(s);
        let end = end.min(rc.len());
        let start = start.min(end);
        self.heap.intern(&rc[start..end])
    }

    /// The bytes of a string.
    pub fn str_bytes(&self, s: StrRef) -> &[u8] {
        self.heap.str_bytes(s)
    }

    /// A shared handle on a string's bytes: lets a caller keep reading a
    /// string while creating others.
    pub fn str_rc(&self, s: StrRef) -> Arc<[u8]> {
        self.heap.str_rc(s)
    }

    /// A new table with room for `narr` array items and `nrec` other keys.
    pub fn new_table(&mut self, narr: usize, nrec: usize) -> TableRef {
        self.heap.new_table(Table::with_sizes(narr, nrec))
    }

    /// `t[k]` without metamethods.
    pub fn raw_get(&self, t: TableRef, k: Value) -> Value {
        self.heap.table(t).get(&k)
    }

    /// `t[i]` without metamethods.
    pub fn raw_get_int(&self, t: TableRef, i: i64) -> Value {
        self.heap.table(t).get_int(i)
    }

    /// `t[k] = v` without metamethods. Errors: "table index is nil",
    /// "table index is NaN" (as Lua errors without position).
    pub fn raw_set(&mut self, t: TableRef, k: Value, v: Value) -> Result<(), LuaError> {
        match self.heap.with_table(t, |tab| tab.raw_set(k, v)) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.plain_error(e.message().as_bytes())),
        }
    }

    /// `t[i] = v` without metamethods.
    pub fn raw_set_int(&mut self, t: TableRef, i: i64, v: Value) -> Result<(), LuaError> {
        match self.heap.with_table(t, |tab| tab.raw_set_int(i, v)) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.plain_error(e.message().as_bytes())),
        }
    }

    /// `#t` without metamethods (luaH_getn: a border of the table).
    pub fn raw_len(&self, t: TableRef) -> usize {
        self.heap.table(t).getn()
    }

    /// The entry after `k` in `next` order (`Nil` starts); `Ok(None)` at the
    /// end; an error for a key that is not in the table. (The error value is
    /// `nil`; `next` itself raises "invalid key to 'next'".)
    pub fn next(&self, t: TableRef, k: Value) -> Result<Option<(Value, Value)>, LuaError> {
        match self.heap.table(t).next(&k) {
            Ok(r) => Ok(r),
            Err(()) => Err(LuaError::Runtime(Value::Nil)),
        }
    }

    /// A table's metatable.
    pub fn metatable(&self, t: TableRef) -> Option<TableRef> {
        self.heap.table(t).metatable
    }

    /// Sets (or removes) a table's metatable.
    pub fn set_metatable(&mut self, t: TableRef, mt: Option<TableRef>) {
        let tab = self.heap.table_mut(t);
        tab.metatable = mt;
    }

    /// The metatable shared by all strings (`open_string` sets it to a table
    /// whose `__index` is the `string` table).
    pub fn string_metatable(&self) -> Option<TableRef> {
        self.string_mt
    }

    /// Sets the metatable shared by all strings.
    pub fn set_string_metatable(&mut self, mt: Option<TableRef>) {
        self.string_mt = mt;
    }

    /// Marks a table read-only (Redis 7's `lua_enablereadonlytable`): any
    /// assignment to it raises "Attempt to modify a readonly table".
    pub fn set_readonly(&mut self, t: TableRef, readonly: bool) {
        self.heap.table_mut(t).readonly = readonly;
    }

    /// Whether writes to `t` fail ([`Lua::set_readonly`]).
    pub fn is_readonly(&self, t: TableRef) -> bool {
        self.heap.table(t).readonly
    }

    /// A native function value with upvalues (read with [`Ctx::upvalue`]).
    pub fn new_native(&mut self, f: NativeFn<H>, upvals: &[Value]) -> FuncRef {
        let env = self.globals;
        self.alloc_func(Closure::Native { f, kind: NativeKind::Plain, upvals: upvals.into(), env })
    }

    /// `t[name] = f` for a native function `f`.
    pub fn register(&mut self, t: TableRef, name: &str, f: NativeFn<H>) {
        let func = self.new_native(f, &[]);
        let k = self.new_string(name.as_bytes());
        // A string key is never nil or NaN, so this cannot fail.
        let _ = self.raw_set(t, Value::String(k), Value::Function(func));
    }

    /// Keeps `v` alive for the life of the state (for values the embedder
    /// holds outside Lua's reach), until [`Lua::unpin`].
    pub fn pin(&mut self, v: Value) {
        self.extra_roots.push(v);
    }

    /// Undoes one [`Lua::pin`] of `v` (raw equality); nothing if it is not
    /// pinned.
    pub fn unpin(&mut self, v: Value) {
        if let Some(i) = self.extra_roots.iter().rposition(|&p| p == v) {
            self.extra_roots.swap_remove(i);
        }
    }

    /// How often (in instructions) nested runs and [`Lua::call`] poll
    /// [`Host::should_kill`].
    pub fn set_kill_check_interval(&mut self, n: u64) {
        self.kill_interval = n.max(1);
    }

    /// Compiles a chunk and returns it as a function whose environment is the
    /// globals table. A syntax error is a [`LuaError::Runtime`] with the
    /// compiler's message (e.g. `user_script:1: '=' expected near 'x'`).
    pub fn load(&mut self, src: &[u8], chunkname: &[u8]) -> Result<FuncRef, LuaError> {
        match crate::parse::compile(src, chunkname) {
            Ok(p) => self.load_proto(p),
            Err(e) => Err(self.plain_error(&e.message)),
        }
    }

    /// Turns a compiled prototype into a function over the globals (it is
    /// checked first, like lundump's luaG_checkcode: a malformed hand-built
    /// prototype is refused rather than trusted).
    pub fn load_proto(&mut self, p: Arc<crate::proto::Proto>) -> Result<FuncRef, LuaError> {
        if !crate::vm::check_proto(&p, 0) {
            return Err(self.plain_error(b"bad binary format (invalid code)"));
        }
        let lp = self.make_lproto(&p);
        let env = self.globals;
        Ok(self.alloc_func(Closure::Lua { p: lp, upvals: Default::default(), env }))
    }

    /// Where the last error that escaped every pcall was raised: the
    /// `source` (the chunk name as given to [`Lua::load`], e.g.
    /// `@user_script`) and current line of the innermost Lua function
    /// active then. This is what an error handler's `debug.getinfo` sees
    /// (Redis reports it as `script: <sha>, on @user_script:<line>.`),
    /// whatever the error value is. `None` when no Lua function was active.
    pub fn error_position(&self) -> Option<(Vec<u8>, u32)> {
        self.error_pos.as_ref().map(|(s, l)| (s.to_vec(), *l))
    }

    /// Where a paused run (see [`Lua::resume`]) stands: the source and
    /// current line of its innermost Lua frame. Redis reports a script
    /// stopped by SCRIPT KILL at that line.
    pub fn paused_position(&self) -> Option<(Vec<u8>, u32)> {
        self.pending?;
        self.innermost_lua_position().map(|(s, l)| (s.to_vec(), l))
    }

    /// Sets a function applied to every error `pcall` catches before it
    /// becomes pcall's second result (`xpcall` is not affected). Redis 7
    /// replaces `pcall` with a wrapper that turns its `{err=msg}` error
    /// tables back into `msg`; this is that wrapper, inside the VM, so a run
    /// can still pause inside a pcall.
    pub fn set_pcall_filter(&mut self, f: Option<fn(&mut Lua<H>, Value) -> Value>) {
        self.pcall_filter = f;
    }

    /// A Lua error value made of a message without position.
    pub(crate) fn plain_error(&mut self, msg: &[u8]) -> LuaError {
        LuaError::Runtime(Value::String(self.heap.intern(msg)))
    }

    /// The message of an error, for the embedder: a string or number error's
    /// text; for another value, what `tostring` without metamethods gives
    /// (`table: 0x...`); "not enough memory" and "killed" for the others.
    pub fn error_bytes(&mut self, e: &LuaError) -> Vec<u8> {
        match e {
            LuaError::Runtime(v) => self.tostring(*v),
            LuaError::Memory => b"not enough memory".to_vec(),
            LuaError::Killed => b"killed".to_vec(),
        }
    }

    /// `tostring(v)` without metamethods.
    pub fn tostring(&mut self, v: Value) -> Vec<u8> {
        let mut out = Vec::new();
        self.tostring_into(v, &mut out);
        out
    }

    /// Whether a run started by [`Lua::start`] is waiting to be resumed.
    pub fn is_paused(&self) -> bool {
        self.pending.is_some()
    }

    /// Calls `f` with `args` and runs it to the end (it cannot pause;
    /// [`Host::should_kill`] is polled). Returns all its results. Like every
    /// value held outside Lua, the results stay valid until the next run or
    /// collection: convert them (or [`Lua::pin`] them) first.
    pub fn call(&mut self, host: &mut H, f: Value, args: &[Value]) -> Result<Vec<Value>, LuaError> {
        let func = self.top;
        self.push_args(f, args)?;
        let saved_steps = self.steps_left;
        let saved_ccalls = self.n_ccalls;
        self.steps_left = self.kill_interval;
        let depth = self.cis.len();
        let r = self.call_at(host, func, -1);
        self.steps_left = saved_steps;
        match r {
            Ok(()) => {
                let res = self.stack[func..self.top].to_vec();
                self.top = func;
                Ok(res)
            }
            Err(e) => {
                // Memory and kill errors cross pcall frames without undoing
                // their C-stack count.
                self.n_ccalls = saved_ccalls;
                self.unwind_to(depth, func);
                Err(e)
            }
        }
    }

    /// Prepares a resumable run of `f(args...)`; [`Lua::resume`] executes it.
    /// Fails if another run is paused.
    pub fn start(&mut self, f: Value, args: &[Value]) -> Result<(), LuaError> {
        if self.pending.is_some() {
            return Err(self.plain_error(b"a run is already in progress"));
        }
        let func = self.top;
        self.push_args(f, args)?;
        self.pending = Some(PendingRun { func, entered: false });
        Ok(())
    }

    /// Continues the run prepared by [`Lua::start`] for at most `budget`
    /// instructions (of this run and of nested runs).
    pub fn resume(&mut self, host: &mut H, budget: u64) -> Result<Step, LuaError> {
        let Some(run) = self.pending else {
            return Err(self.plain_error(b"no run to resume"));
        };
        self.steps_left = budget.max(1);
        self.pause_pending = false;
        let r = self.resume_run(host, run);
        match r {
            Ok(true) => {
                let res = self.stack[run.func..self.top].to_vec();
                self.top = run.func;
                self.pending = None;
                self.steps_left = u64::MAX;
                Ok(Step::Done(res))
            }
            Ok(false) => Ok(Step::Paused),
            Err(e) => {
                self.n_ccalls = 0;
                self.unwind_to(0, run.func);
                self.pending = None;
                self.steps_left = u64::MAX;
                Err(e)
            }
        }
    }

    /// Drops a paused run (its frames and stack; objects only it used are
    /// freed by the next collection).
    pub fn abort(&mut self) {
        if let Some(run) = self.pending.take() {
            // A run paused inside coroutines: they die with it.
            self.leave_coroutines(crate::heap::MAIN_THREAD);
            self.n_ccalls = 0;
            self.unwind_to(0, run.func);
        }
        self.steps_left = u64::MAX;
    }

    fn push_args(&mut self, f: Value, args: &[Value]) -> Result<(), LuaError> {
        self.ensure_stack(self.top + args.len() + 1 + crate::vm::EXTRA_STACK)?;
        self.stack[self.top] = f;
        self.top += 1;
        for &a in args {
            self.stack[self.top] = a;
            self.top += 1;
        }
        Ok(())
    }
}

/// What a native function sees: its arguments, a place for its results, the
/// state and the host.
pub struct Ctx<'a, H> {
    pub(crate) lua: &'a mut Lua<H>,
    pub(crate) host: &'a mut H,
    /// Stack index of the first argument.
    pub(crate) base: usize,
    pub(crate) nargs: usize,
    /// The function being called (for its upvalues).
    pub(crate) func: FuncRef,
}

impl<'a, H: Host> Ctx<'a, H> {
    /// The host.
    pub fn host(&mut self) -> &mut H {
        self.host
    }

    /// The state.
    pub fn lua(&mut self) -> &mut Lua<H> {
        self.lua
    }

    /// The state, read-only (lets a native borrow string bytes and the host at
    /// once).
    pub fn lua_ref(&self) -> &Lua<H> {
        self.lua
    }

    /// Number of arguments.
    pub fn nargs(&self) -> usize {
        self.nargs
    }

    /// Argument `i` (1-based); `Nil` when absent.
    pub fn arg(&self, i: usize) -> Value {
        if i >= 1 && i <= self.nargs {
            self.lua.stack[self.base + i - 1]
        } else {
            Value::Nil
        }
    }

    /// Replaces argument `i` (1-based, must exist; ignored otherwise).
    pub fn set_arg(&mut self, i: usize, v: Value) {
        if i >= 1 && i <= self.nargs {
            self.lua.stack[self.base + i - 1] = v;
        }
    }

    /// The bytes of a string.
    pub fn str_bytes(&self, s: StrRef) -> &[u8] {
        self.lua.heap.str_bytes(s)
    }

    /// Upvalue `i` (1-based) of the running native function; `Nil` when absent.
    pub fn upvalue(&self, i: usize) -> Value {
        match &self.lua.funcs.items[self.func.0 as usize] {
            Closure::Native { upvals, .. } => upvals.get(i.wrapping_sub(1)).copied().unwrap_or(Value::Nil),
            _ => Value::Nil,
        }
    }

    /// Sets upvalue `i` (1-based) of the running native function.
    pub fn set_upvalue(&mut self, i: usize, v: Value) {
        if let Closure::Native { upvals, .. } = &mut self.lua.funcs.items[self.func.0 as usize] {
            if let Some(slot) = upvals.get_mut(i.wrapping_sub(1)) {
                *slot = v;
            }
        }
    }

    /// Pushes one result ("stack overflow" beyond LUAI_MAXCSTACK slots).
    pub fn push(&mut self, v: Value) -> Result<(), LuaError> {
        if self.lua.top - self.base >= crate::vm::MAXCSTACK {
            return Err(self.error(b"stack overflow"));
        }
        let top = self.lua.top;
        self.lua.ensure_stack(top + 1 + crate::vm::EXTRA_STACK)?;
        self.lua.stack[top] = v;
        self.lua.top = top + 1;
        Ok(())
    }

    /// Pushes a new string with these bytes.
    pub fn push_bytes(&mut self, bytes: &[u8]) -> Result<(), LuaError> {
        let s = self.lua.new_string(bytes);
        self.push(Value::String(s))
    }

    /// lua_checkstack: whether `n` more values can be pushed (the C stack
    /// limit of LUAI_MAXCSTACK slots per native).
    pub fn check_stack(&self, n: usize) -> bool {
        n <= crate::vm::MAXCSTACK && self.lua.top - self.base + n <= crate::vm::MAXCSTACK
    }

    /// luaL_argerror: "bad argument #i to 'name' (extra)".
    pub fn arg_error(&mut self, i: usize, extra: &str) -> LuaError {
        self.arg_error_bytes(i, extra.as_bytes())
    }

    /// [`Ctx::arg_error`] with a message in bytes.
    pub fn arg_error_bytes(&mut self, i: usize, extra: &[u8]) -> LuaError {
        let msg = self.lua.arg_error_msg(i, extra);
        self.error(&msg)
    }

    /// luaL_typerror: "bad argument #i to 'name' (expected expected, got type)".
    pub fn type_error(&mut self, i: usize, expected: &str) -> LuaError {
        let got = if i > self.nargs { "no value" } else { self.arg(i).type_name() };
        let mut m = Vec::new();
        m.extend_from_slice(expected.as_bytes());
        m.extend_from_slice(b" expected, got ");
        m.extend_from_slice(got.as_bytes());
        self.arg_error_bytes(i, &m)
    }

    /// luaL_error: the message prefixed with "chunk:line: " of the Lua
    /// function that called this native (nothing when that is not Lua).
    pub fn error(&mut self, msg: &[u8]) -> LuaError {
        let mut m = self.lua.where_(1);
        m.extend_from_slice(msg);
        self.lua.plain_error(&m)
    }

    /// luaL_checknumber (strings convertible to numbers are accepted).
    pub fn check_number(&mut self, i: usize) -> Result<f64, LuaError> {
        match self.lua.to_number(self.arg(i)) {
            Some(n) => Ok(n),
            None => Err(self.type_error(i, "number")),
        }
    }

    /// luaL_optnumber.
    pub fn opt_number(&mut self, i: usize, default: f64) -> Result<f64, LuaError> {
        if self.arg(i).is_nil() {
            Ok(default)
        } else {
            self.check_number(i)
        }
    }

    /// luaL_checkinteger: the number truncated toward zero as C's
    /// `(ptrdiff_t)` cast on x86-64 does (NaN and out-of-range values become
    /// `i64::MIN`).
    pub fn check_integer(&mut self, i: usize) -> Result<i64, LuaError> {
        self.check_number(i).map(crate::vm::number_to_integer)
    }

    /// luaL_optinteger.
    pub fn opt_integer(&mut self, i: usize, default: i64) -> Result<i64, LuaError> {
        if self.arg(i).is_nil() {
            Ok(default)
        } else {
            self.check_integer(i)
        }
    }

    /// luaL_checklstring: a string argument; a number argument is converted
    /// (in place, as lua_tolstring does).
    pub fn check_bytes(&mut self, i: usize) -> Result<StrRef, LuaError> {
        match self.arg(i) {
            Value::String(s) => Ok(s),
            Value::Number(n) => {
                let s = self.lua.number_to_str(n);
                self.set_arg(i, Value::String(s));
                Ok(s)
            }
            _ => Err(self.type_error(i, "string")),
        }
    }

    /// luaL_optlstring: `None` when the argument is nil or absent.
    pub fn opt_bytes(&mut self, i: usize) -> Result<Option<StrRef>, LuaError> {
        if self.arg(i).is_nil() {
            Ok(None)
        } else {
            self.check_bytes(i).map(Some)
        }
    }

    /// luaL_checktype(LUA_TTABLE).
    pub fn check_table(&mut self, i: usize) -> Result<TableRef, LuaError> {
        match self.arg(i) {
            Value::Table(t) => Ok(t),
            _ => Err(self.type_error(i, "table")),
        }
    }

    /// luaL_checkany: "bad argument #i to 'f' (value expected)".
    pub fn check_any(&mut self, i: usize) -> Result<Value, LuaError> {
        if i > self.nargs {
            Err(self.arg_error(i, "value expected"))
        } else {
            Ok(self.arg(i))
        }
    }

    /// Calls `f(args...)` in a nested run and returns all its results. The run
    /// cannot pause; errors propagate (after the nested frames are dropped).
    pub fn call(&mut self, f: Value, args: &[Value]) -> Result<Vec<Value>, LuaError> {
        let func = self.lua.top;
        self.lua.push_args(f, args)?;
        let depth = self.lua.cis.len();
        match self.lua.call_nested(self.host, func, -1) {
            Ok(()) => {
                let res = self.lua.stack[func..self.lua.top].to_vec();
                self.lua.top = func;
                Ok(res)
            }
            Err(e) => {
                self.lua.unwind_to(depth, func);
                Err(e)
            }
        }
    }

    /// Like [`Ctx::call`], keeping only the first result (`Nil` if none),
    /// without allocating.
    pub fn call1(&mut self, f: Value, args: &[Value]) -> Result<Value, LuaError> {
        let func = self.lua.top;
        self.lua.push_args(f, args)?;
        let depth = self.lua.cis.len();
        match self.lua.call_nested(self.host, func, 1) {
            Ok(()) => {
                let r = self.lua.stack[func];
                self.lua.top = func;
                Ok(r)
            }
            Err(e) => {
                self.lua.unwind_to(depth, func);
                Err(e)
            }
        }
    }

    /// `t[k]` with metamethods (`__index`), as lua_gettable.
    pub fn index(&mut self, t: Value, k: Value) -> Result<Value, LuaError> {
        self.lua.index_value(self.host, t, k)
    }

    /// `tostring(v)` as the base library's: `__tostring` if present (it must
    /// return a string), else the default text.
    pub fn tostring(&mut self, v: Value) -> Result<StrRef, LuaError> {
        let tm = self.lua.get_metafield(v, b"__tostring");
        if !tm.is_nil() {
            return match self.call1(tm, &[v])? {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(self.lua.number_to_str(n)),
                _ => Err(self.error(b"'__tostring' must return a string")),
            };
        }
        match v {
            Value::String(s) => Ok(s),
            _ => {
                let mut out = core::mem::take(&mut self.lua.buf);
                out.clear();
                self.lua.tostring_into(v, &mut out);
                let s = self.lua.new_string(&out);
                self.lua.buf = out;
                Ok(s)
            }
        }
    }
}
