//! The object heap: arenas for strings, tables, upvalues, coroutines and
//! functions, the string intern table, memory accounting and the
//! mark-and-sweep collector.
//!
//! Objects live in slots of typed arenas and values refer to them by index
//! (`value.rs`). A freed slot holds an empty placeholder (so indexing never
//! fails) and goes on the arena's free list for reuse.
//!
//! Invariants:
//! - every handle the runtime creates indexes an existing slot (arenas never
//!   shrink), so direct indexing of `items` by a handle cannot go out of bounds;
//! - every string is interned exactly once: equal bytes <=> equal handle;
//! - `bytes` is the sum of the estimates of all live objects (see the
//!   `*_COST` constants) and of the stacks of threads not running (the running
//!   thread's stack is added by `memory_used`); the collector subtracts what it
//!   frees and recounts prototypes (shared `Arc`s freed with their last
//!   closure);
//! - the collector runs only at VM safe points (`Lua::check_gc`, natives'
//!   `collectgarbage`), when every live value is reachable from the roots: the
//!   running stack and frames, the saved states of resuming threads, the
//!   globals, the registry, the string metatable, the open upvalues, the
//!   metamethod names and pinned values. A value an upvalue keeps open in
//!   another thread's stack keeps that thread alive.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use hashbrown::HashTable;

use crate::api::{Lua, NativeFn};
use crate::proto::Proto;
use crate::table::Table;
use crate::value::{FuncRef, StrRef, TableRef, Value};

/// Per-object overhead estimates, in bytes (a cheap, deterministic weight:
/// close to what the allocations really take on a 64-bit target).
pub(crate) const STRING_COST: usize = 40;
pub(crate) const TABLE_COST: usize = 80;
pub(crate) const FUNC_COST: usize = 48;
pub(crate) const UPVAL_COST: usize = 32;
pub(crate) const THREAD_COST: usize = 256;

/// A typed arena with a mark bit per slot and a free list.
pub(crate) struct Arena<T> {
    pub(crate) items: Vec<T>,
    pub(crate) marks: Vec<bool>,
    alive: Vec<bool>,
    free: Vec<u32>,
}

impl<T> Arena<T> {
    fn new() -> Self {
        Arena { items: Vec::new(), marks: Vec::new(), alive: Vec::new(), free: Vec::new() }
    }

    /// Stores `v` in a free slot (or a new one) and returns its index.
    fn alloc(&mut self, v: T) -> u32 {
        if let Some(i) = self.free.pop() {
            self.items[i as usize] = v;
            self.alive[i as usize] = true;
            i
        } else {
            self.items.push(v);
            self.marks.push(false);
            self.alive.push(true);
            // Slots are counted in u32: four billion objects of at least 32
            // bytes each exceed any address space this crate targets.
            (self.items.len() - 1) as u32
        }
    }

    /// Frees every live, unmarked slot (replacing it with `dead()` after
    /// `on_free` saw it) and clears the marks.
    fn sweep(&mut self, mut dead: impl FnMut() -> T, mut on_free: impl FnMut(u32, &T)) {
        for i in 0..self.items.len() {
            if self.marks[i] {
                self.marks[i] = false;
            } else if self.alive[i] {
                on_free(i as u32, &self.items[i]);
                self.items[i] = dead();
                self.alive[i] = false;
                self.free.push(i as u32);
            }
        }
    }
}

/// An upvalue: open while the variable still lives in a stack slot, closed
/// (holding its own copy) once the variable's block has ended.
#[derive(Clone, Copy, Debug)]
pub(crate) enum UpVal {
    /// The variable lives in stack slot `idx` of `thread` (MAIN_THREAD or a
    /// coroutine's index).
    Open { idx: u32, thread: u32 },
    Closed(Value),
}

/// The thread id of the main thread (coroutines use their arena index).
pub(crate) const MAIN_THREAD: u32 = u32::MAX;

/// The per-thread part of the VM state: swapped into `Lua`'s fields while a
/// thread runs.
#[derive(Default)]
pub(crate) struct ThreadState {
    pub(crate) stack: Vec<Value>,
    pub(crate) top: usize,
    pub(crate) cis: Vec<crate::vm::CallInfo>,
    pub(crate) open_upvals: Vec<u32>,
    pub(crate) size_ci: usize,
}

/// A thread waiting for the coroutine it resumed to yield or return.
pub(crate) struct Resumer {
    /// MAIN_THREAD or a coroutine's index.
    pub(crate) id: u32,
    /// Its stack and frames (the resume call's native frame on top).
    pub(crate) state: ThreadState,
    /// `n_ccalls` before the resume.
    pub(crate) ccalls: u32,
}

/// A coroutine's status (costatus of lbaselib.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoStatus {
    Suspended,
    Running,
    Normal,
    Dead,
}

/// A coroutine object.
pub(crate) struct Coroutine {
    /// Its stack and frames while it is not running.
    pub(crate) state: ThreadState,
    pub(crate) status: CoStatus,
    pub(crate) started: bool,
    /// `n_ccalls` when it was resumed: a yield from deeper (a metamethod, a
    /// native's callback, a pcall) crosses a C boundary.
    pub(crate) base_ccalls: u32,
}

/// A loaded function prototype: the compiler's [`Proto`] plus its constants as
/// runtime values and its nested prototypes, loaded once per `load`.
pub(crate) struct LProto {
    pub(crate) p: Arc<Proto>,
    pub(crate) k: Box<[Value]>,
    pub(crate) children: Box<[Arc<LProto>]>,
    /// `p`'s frame size, fixed parameters and vararg flag, copied here so
    /// that a call reads them one pointer hop closer.
    pub(crate) maxstack: usize,
    pub(crate) nparams: usize,
    pub(crate) is_vararg: u8,
    /// The collection cycle that last marked this prototype's constants.
    /// Atomic (relaxed; one thread uses a state at a time) only so that
    /// `Arc<LProto>` is `Send`: embedders move states between threads.
    pub(crate) mark: AtomicU32,
}

/// What a native function is, beyond a plain call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NativeKind {
    /// An ordinary native function.
    Plain,
    /// `pcall`, handled by the VM so a run can pause inside it.
    Pcall,
    /// `xpcall`, handled by the VM.
    Xpcall,
    /// `coroutine.yield`, handled by the VM (it suspends the running
    /// coroutine's frames where they are).
    Yield,
    /// `coroutine.resume`, handled by the VM (it switches threads without
    /// recursing, so a run can pause inside a coroutine).
    Resume,
    /// A function made by `coroutine.wrap` (its upvalue 1 is the thread).
    Wrap,
}

/// A function object.
pub(crate) enum Closure<H> {
    Lua {
        p: Arc<LProto>,
        upvals: Box<[u32]>,
        env: TableRef,
    },
    Native {
        f: NativeFn<H>,
        kind: NativeKind,
        upvals: Box<[Value]>,
        env: TableRef,
    },
    /// A freed slot.
    Dead,
}

/// The heap objects that do not depend on the host type.
pub(crate) struct Heap {
    pub(crate) strings: Arena<Arc<[u8]>>,
    str_hashes: Vec<u32>,
    intern: HashTable<u32>,
    pub(crate) tables: Arena<Table>,
    pub(crate) upvals: Arena<UpVal>,
    pub(crate) threads: Arena<Coroutine>,
    empty: Arc<[u8]>,
    /// Hash every character of strings (Redis) instead of sampling (Lua 5.1).
    full_hash: bool,
    /// Estimated bytes in use.
    pub(crate) bytes: usize,
}

/// lstring.c's hash: seeded with the length, over the characters from the
/// end. Stock Lua 5.1.5 samples at most 32 of them (every `step`-th); Redis
/// patched its copy to hash every character (`full`), which changes the
/// hash, so the `pairs` order, of strings longer than 31 bytes.
pub(crate) fn lua_hash(s: &[u8], full: bool) -> u32 {
    let l = s.len();
    let mut h = l as u32;
    let step = if full { 1 } else { (l >> 5) + 1 };
    let mut l1 = l;
    while l1 >= step {
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(s[l1 - 1] as u32);
        l1 -= step;
    }
    h
}

/// Spreads the Lua hash over 64 bits for the intern table (hashbrown uses
/// the top bits as tags).
#[inline]
fn intern_hash(h: u32) -> u64 {
    (h as u64 ^ 0x9e37_79b9).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Heap {
    pub(crate) fn new(full_hash: bool) -> Heap {
        Heap {
            strings: Arena::new(),
            str_hashes: Vec::new(),
            intern: HashTable::new(),
            tables: Arena::new(),
            upvals: Arena::new(),
            threads: Arena::new(),
            empty: Arc::from(&[][..]),
            full_hash,
            bytes: 0,
        }
    }

    /// The interned string for `bytes`, creating it if needed.
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> StrRef {
        let h = lua_hash(bytes, self.full_hash);
        let strings = &self.strings.items;
        if let Some(&i) = self.intern.find(intern_hash(h), |&i| &*strings[i as usize] == bytes) {
            return StrRef { idx: i, hash: h };
        }
        self.insert_new(Arc::from(bytes), h)
    }

    /// Interns an `Arc` the caller already holds (proto constants), without
    /// copying it when it is new.
    pub(crate) fn intern_rc(&mut self, bytes: &Arc<[u8]>) -> StrRef {
        let h = lua_hash(bytes, self.full_hash);
        let strings = &self.strings.items;
        if let Some(&i) = self.intern.find(intern_hash(h), |&i| *strings[i as usize] == **bytes) {
            return StrRef { idx: i, hash: h };
        }
        self.insert_new(bytes.clone(), h)
    }

    fn insert_new(&mut self, rc: Arc<[u8]>, h: u32) -> StrRef {
        self.bytes += STRING_COST + rc.len();
        let i = self.strings.alloc(rc);
        if self.str_hashes.len() <= i as usize {
            self.str_hashes.resize(i as usize + 1, 0);
        }
        self.str_hashes[i as usize] = h;
        let hashes = &self.str_hashes;
        // Called only when the table grows; `dyn` so that this table and the
        // compiler's constant cache share one instantiation of hashbrown's
        // insert and rehash code (`HashTable<u32>` with a `&dyn Fn` hasher).
        let rehash: &dyn Fn(&u32) -> u64 = &|&j| intern_hash(hashes[j as usize]);
        self.intern.insert_unique(intern_hash(h), i, rehash);
        StrRef { idx: i, hash: h }
    }

    /// The bytes of a string.
    #[inline]
    pub(crate) fn str_bytes(&self, s: StrRef) -> &[u8] {
        &self.strings.items[s.idx as usize]
    }

    /// A shared handle on a string's bytes (lets callers read a string while
    /// creating others).
    #[inline]
    pub(crate) fn str_rc(&self, s: StrRef) -> Arc<[u8]> {
        self.strings.items[s.idx as usize].clone()
    }

    /// A new table, with its memory counted.
    pub(crate) fn new_table(&mut self, t: Table) -> TableRef {
        self.bytes += TABLE_COST + t.mem_size();
        TableRef(self.tables.alloc(t))
    }

    #[inline]
    pub(crate) fn table(&self, t: TableRef) -> &Table {
        &self.tables.items[t.0 as usize]
    }

    #[inline]
    pub(crate) fn table_mut(&mut self, t: TableRef) -> &mut Table {
        &mut self.tables.items[t.0 as usize]
    }

    /// Runs `f` on a table and accounts for its change in size.
    #[inline]
    pub(crate) fn with_table<R>(&mut self, t: TableRef, f: impl FnOnce(&mut Table) -> R) -> R {
        let tab = &mut self.tables.items[t.0 as usize];
        let before = tab.mem_size();
        let r = f(tab);
        let after = tab.mem_size();
        self.bytes = (self.bytes + after).saturating_sub(before);
        r
    }

    /// A new coroutine object.
    pub(crate) fn new_thread(&mut self, c: Coroutine) -> u32 {
        self.bytes += THREAD_COST + c.state.stack.len() * core::mem::size_of::<Value>();
        self.threads.alloc(c)
    }

    pub(crate) fn new_upval(&mut self, u: UpVal) -> u32 {
        self.bytes += UPVAL_COST;
        self.upvals.alloc(u)
    }

    /// Frees every unmarked string, table and upvalue and clears the marks.
    fn sweep(&mut self) {
        let mut freed = 0usize;
        let empty = self.empty.clone();
        let intern = &mut self.intern;
        let hashes = &self.str_hashes;
        self.strings.sweep(
            || empty.clone(),
            |i, s| {
                if let Ok(entry) = intern.find_entry(intern_hash(hashes[i as usize]), |&j| j == i) {
                    entry.remove();
                }
                freed += STRING_COST + s.len();
            },
        );
        self.tables.sweep(Table::dead, |_, t| freed += TABLE_COST + t.mem_size());
        self.upvals.sweep(|| UpVal::Closed(Value::Nil), |_, _| freed += UPVAL_COST);
        self.threads.sweep(
            || Coroutine { state: ThreadState::default(), status: CoStatus::Dead, started: true, base_ccalls: 0 },
            |_, c| freed += THREAD_COST + c.state.stack.len() * core::mem::size_of::<Value>(),
        );
        self.bytes = self.bytes.saturating_sub(freed);
    }
}

/// Gray objects waiting to be traversed.
enum Gray {
    Table(u32),
    Func(u32),
    Thread(u32),
    Proto(Arc<LProto>),
}

/// Mark state for one collection.
struct Marker {
    gray: Vec<Gray>,
    epoch: u32,
    /// Estimated bytes of the prototypes marked so far.
    proto_bytes: usize,
    /// Tables with weak keys or values (`__mode`), cleared after marking.
    weak: Vec<u32>,
}

impl<H: crate::api::Host> Lua<H> {
    /// Estimated bytes used by all objects and the stack.
    pub fn memory_used(&self) -> usize {
        self.heap.bytes + self.stack.len() * core::mem::size_of::<Value>()
    }

    /// Sets the memory limit in bytes (0 = unlimited). A run that goes over
    /// it after a full collection fails with [`LuaError::Memory`](crate::value::LuaError::Memory)
    /// at its next safe point.
    pub fn set_memory_limit(&mut self, bytes: usize) {
        self.memory_limit = bytes;
    }

    /// Collects whenever the heap has grown by `bytes` since the last
    /// collection (0 restores the default: when it has doubled, at least
    /// 64 KiB). Small values make every safe point collect (a stress mode
    /// for tests).
    pub fn set_gc_step(&mut self, bytes: usize) {
        self.gc_step = bytes;
        self.gc_threshold = self.next_gc_threshold();
    }

    /// The heap size at which the next collection runs.
    fn next_gc_threshold(&self) -> usize {
        if self.gc_step != 0 {
            self.heap.bytes.saturating_add(self.gc_step)
        } else {
            self.heap.bytes.saturating_mul(2).max(64 * 1024)
        }
    }

    /// Runs a full collection now. Only call it between runs (or from the
    /// VM's safe points): values held only in Rust locals are not roots.
    pub fn gc_collect(&mut self) {
        self.gc_epoch = self.gc_epoch.wrapping_add(1);
        let mut m = Marker { gray: Vec::new(), epoch: self.gc_epoch, proto_bytes: 0, weak: Vec::new() };
        // Roots.
        self.mark_value(&mut m, Value::Table(self.globals));
        self.mark_value(&mut m, Value::Table(self.registry));
        if let Some(t) = self.string_mt {
            self.mark_value(&mut m, Value::Table(t));
        }
        for i in 0..self.tm_names.len() {
            let s = self.tm_names[i];
            self.heap.strings.marks[s.idx as usize] = true;
        }
        for i in 0..self.extra_roots.len() {
            let v = self.extra_roots[i];
            self.mark_value(&mut m, v);
        }
        // The live part of the stack; the rest is cleared so dead values
        // do not keep objects alive.
        // traversestack: values up to `top` are live (at a safe point in a
        // Lua frame `top` is the frame's top; in a native, what is above its
        // top are dead temporaries, as in C Lua); the rest is cleared so
        // dead values do not keep objects alive (weak tables see that).
        let marked = self.top.min(self.stack.len());
        for i in 0..marked {
            let v = self.stack[i];
            self.mark_value(&mut m, v);
        }
        // After deep recursion the stack stays large: give back what is far
        // above the frames in use (checkstacksizes), keeping the slack every
        // frame relies on.
        let live = self.stack_in_use().min(self.stack.len());
        let keep = (live + 2 * crate::vm::EXTRA_STACK + 20).max(64);
        if self.stack.len() > 2 * keep {
            self.stack.truncate(keep);
            self.stack.shrink_to_fit();
        }
        for v in self.stack[marked..].iter_mut() {
            *v = Value::Nil;
        }
        for i in 0..self.open_upvals.len() {
            let u = self.open_upvals[i];
            self.heap.upvals.marks[u as usize] = true;
        }
        for ci in 0..self.cis.len() {
            let f = self.cis[ci].func_ref;
            self.mark_value(&mut m, Value::Function(f));
        }
        if self.cur_thread != MAIN_THREAD {
            self.mark_value(&mut m, Value::Thread(crate::value::ThreadRef(self.cur_thread)));
        }
        // Threads that resumed the running one: their saved stacks.
        let mut saved: Vec<Value> = Vec::new();
        for r in &self.thread_stack {
            let st = &r.state;
            if r.id != MAIN_THREAD {
                saved.push(Value::Thread(crate::value::ThreadRef(r.id)));
            }
            collect_state_roots(st, &mut saved);
            for &u in &st.open_upvals {
                self.heap.upvals.marks[u as usize] = true;
            }
        }
        for v in saved {
            self.mark_value(&mut m, v);
        }
        self.propagate(&mut m);
        self.clear_weak(&m.weak);
        // Free.
        self.heap.sweep();
        // Prototypes are freed with their last closure (they are shared
        // `Arc`s): count the live ones again.
        self.heap.bytes = (self.heap.bytes + m.proto_bytes).saturating_sub(self.proto_bytes);
        self.proto_bytes = m.proto_bytes;
        let mut freed = 0usize;
        self.funcs.sweep(
            || Closure::Dead,
            |_, c| {
                let n = match c {
                    Closure::Lua { upvals, .. } => upvals.len(),
                    Closure::Native { upvals, .. } => upvals.len(),
                    Closure::Dead => 0,
                };
                freed += FUNC_COST + 16 * n;
            },
        );
        self.heap.bytes = self.heap.bytes.saturating_sub(freed);
        self.gc_threshold = self.next_gc_threshold();
    }

    #[inline]
    fn mark_value(&mut self, m: &mut Marker, v: Value) {
        match v {
            Value::String(s) => self.heap.strings.marks[s.idx as usize] = true,
            Value::Table(t) => {
                let i = t.0 as usize;
                if !self.heap.tables.marks[i] {
                    self.heap.tables.marks[i] = true;
                    m.gray.push(Gray::Table(t.0));
                }
            }
            Value::Function(f) => {
                let i = f.0 as usize;
                if !self.funcs.marks[i] {
                    self.funcs.marks[i] = true;
                    m.gray.push(Gray::Func(f.0));
                }
            }
            Value::Thread(t) => {
                let i = t.0 as usize;
                if !self.heap.threads.marks[i] {
                    self.heap.threads.marks[i] = true;
                    m.gray.push(Gray::Thread(t.0));
                }
            }
            _ => {}
        }
    }

    fn propagate(&mut self, m: &mut Marker) {
        let mut scratch: Vec<Value> = Vec::new();
        while let Some(g) = m.gray.pop() {
            scratch.clear();
            match g {
                Gray::Table(t) => {
                    let (weak_keys, weak_values) = self.weak_mode(t);
                    let tab = &self.heap.tables.items[t as usize];
                    if let Some(mt) = tab.metatable {
                        scratch.push(Value::Table(mt));
                    }
                    if weak_keys || weak_values {
                        // traversetable: weak parts are not marked; the
                        // table is cleared once marking is over.
                        m.weak.push(t);
                        if !weak_values {
                            scratch.extend_from_slice(&tab.array);
                        }
                        for n in &tab.node {
                            if !n.val.is_nil() {
                                if !weak_keys {
                                    scratch.push(n.key);
                                }
                                if !weak_values {
                                    scratch.push(n.val);
                                }
                            }
                        }
                    } else {
                        tab.for_each_value(|v| scratch.push(v));
                    }
                }
                Gray::Func(f) => match &self.funcs.items[f as usize] {
                    Closure::Lua { p, upvals, env } => {
                        scratch.push(Value::Table(*env));
                        for &u in upvals.iter() {
                            self.heap.upvals.marks[u as usize] = true;
                            match self.heap.upvals.items[u as usize] {
                                UpVal::Closed(v) => scratch.push(v),
                                // An open variable of another thread lives in
                                // that thread's stack: keep the thread.
                                UpVal::Open { thread, .. } if thread != MAIN_THREAD => {
                                    scratch.push(Value::Thread(crate::value::ThreadRef(thread)))
                                }
                                UpVal::Open { .. } => {}
                            }
                        }
                        if p.mark.load(Ordering::Relaxed) != m.epoch {
                            m.gray.push(Gray::Proto(p.clone()));
                        }
                    }
                    Closure::Native { upvals, env, .. } => {
                        scratch.push(Value::Table(*env));
                        scratch.extend_from_slice(upvals);
                    }
                    Closure::Dead => {}
                },
                Gray::Thread(t) => {
                    let st = &self.heap.threads.items[t as usize].state;
                    collect_state_roots(st, &mut scratch);
                    for &u in &st.open_upvals {
                        self.heap.upvals.marks[u as usize] = true;
                    }
                }
                Gray::Proto(p) => {
                    if p.mark.load(Ordering::Relaxed) != m.epoch {
                        p.mark.store(m.epoch, Ordering::Relaxed);
                        m.proto_bytes += crate::vm::proto_cost(&p.p);
                        scratch.extend_from_slice(&p.k);
                        for c in p.children.iter() {
                            if c.mark.load(Ordering::Relaxed) != m.epoch {
                                m.gray.push(Gray::Proto(c.clone()));
                            }
                        }
                    }
                }
            }
            for v in scratch.drain(..) {
                self.mark_value(m, v);
            }
        }
    }

    /// The table's `__mode`: (weak keys, weak values).
    fn weak_mode(&self, t: u32) -> (bool, bool) {
        let Some(mt) = self.heap.tables.items[t as usize].metatable else { return (false, false) };
        let mode_name = self.tm_names[crate::vm::Tm::Mode as usize];
        match self.heap.tables.items[mt.0 as usize].get_str(mode_name) {
            Value::String(s) => {
                let b = self.heap.str_bytes(s);
                // C's strchr stops at the first NUL.
                let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
                (b.contains(&b'k'), b.contains(&b'v'))
            }
            _ => (false, false),
        }
    }

    /// iscleared: whether a weak reference to `v` dies in this collection.
    /// Strings are values, never cleared (they are kept alive instead).
    fn is_cleared(&mut self, v: Value) -> bool {
        match v {
            Value::String(s) => {
                self.heap.strings.marks[s.idx as usize] = true;
                false
            }
            Value::Table(t) => !self.heap.tables.marks[t.0 as usize],
            Value::Function(f) => !self.funcs.marks[f.0 as usize],
            Value::Thread(c) => !self.heap.threads.marks[c.0 as usize],
            _ => false,
        }
    }

    /// cleartable: drops the entries of weak tables whose weak key or value
    /// was not marked (the key stays, with a nil value, as removeentry).
    fn clear_weak(&mut self, weak: &[u32]) {
        for &t in weak {
            let (weak_keys, weak_values) = self.weak_mode(t);
            let alen = self.heap.tables.items[t as usize].array.len();
            if weak_values {
                for i in 0..alen {
                    let v = self.heap.tables.items[t as usize].array[i];
                    if self.is_cleared(v) {
                        self.heap.tables.items[t as usize].array[i] = Value::Nil;
                    }
                }
            }
            let nlen = self.heap.tables.items[t as usize].node.len();
            for i in 0..nlen {
                let n = self.heap.tables.items[t as usize].node[i];
                if n.val.is_nil() {
                    continue;
                }
                let dead = (weak_keys && self.is_cleared(n.key)) || (weak_values && self.is_cleared(n.val));
                if dead {
                    self.heap.tables.items[t as usize].node[i].val = Value::Nil;
                }
            }
        }
    }

    /// A new function object, with its memory counted.
    pub(crate) fn alloc_func(&mut self, c: Closure<H>) -> FuncRef {
        let n = match &c {
            Closure::Lua { upvals, .. } => upvals.len(),
            Closure::Native { upvals, .. } => upvals.len(),
            Closure::Dead => 0,
        };
        self.heap.bytes += FUNC_COST + 16 * n;
        FuncRef(self.funcs.alloc(c))
    }
}

/// The values a suspended thread keeps alive: its stack up to its top and
/// its frames' functions.
fn collect_state_roots(st: &ThreadState, out: &mut Vec<Value>) {
    for ci in &st.cis {
        out.push(Value::Function(ci.func_ref));
    }
    // A suspended thread's `top` is its pending call's (yield or resume).
    out.extend_from_slice(&st.stack[..st.top.min(st.stack.len())]);
}

impl<H> Arena<Closure<H>> {
    pub(crate) fn new_funcs() -> Self {
        Arena::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_lstring() {
        // h = len; for each char from the end: h ^= (h<<5)+(h>>2)+c
        let mut h: u32 = 2;
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(b'b' as u32);
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(b'a' as u32);
        assert_eq!(lua_hash(b"ab", false), h);
        assert_eq!(lua_hash(b"ab", true), h);
    }

    #[test]
    fn interning_is_identity() {
        let mut heap = Heap::new(false);
        let a = heap.intern(b"hello");
        let b = heap.intern(b"hello");
        let c = heap.intern(b"world");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(heap.str_bytes(c), b"world");
    }
}
