//! Debug information for error messages, as ldebug.c of Lua 5.1.5: the
//! current line of a frame, the name of the variable that held an offending
//! value ("global 'x'", "local 'a'", "field 'foo'", "method 'bar'",
//! "upvalue 'u'") found by symbolic execution of the bytecode, and the
//! "chunk:line: " prefixes of luaG_runerror and luaL_where.
//!
//! Everything here reads the call-info stack and the prototypes; nothing
//! changes state except interning the messages it builds.

use alloc::vec::Vec;

use crate::api::{Host, Lua};
use crate::heap::Closure;
use crate::proto::{self, Constant, OpCode, OpMode, Proto};
use crate::value::LuaError;
use crate::vm::{CallInfo, CiKind};

/// luaF_getlocalname: the name of the `n`-th (1-based) local active at `pc`.
pub(crate) fn local_name(p: &Proto, mut n: usize, pc: usize) -> Option<&[u8]> {
    for lv in &p.locvars {
        if lv.startpc as usize > pc {
            break;
        }
        if pc < lv.endpc as usize {
            n -= 1;
            if n == 0 {
                return Some(&lv.name);
            }
        }
    }
    None
}

/// symbexec: the last instruction before `lastpc` that changed `reg`
/// (the code was checked at load, so no validation here).
fn symbexec(p: &Proto, lastpc: usize, reg: usize) -> u32 {
    let code = &p.code;
    let mut last = code.len() - 1;
    let mut pc = 0usize;
    while pc < lastpc && pc < code.len() {
        let i = code[pc];
        let Some(op) = proto::get_op(i) else { break };
        let a = proto::get_a(i);
        let (b, c): (i64, usize) = match op.mode() {
            OpMode::ABC => (proto::get_b(i) as i64, proto::get_c(i)),
            OpMode::ABx => (proto::get_bx(i) as i64, 0),
            OpMode::AsBx => (proto::get_sbx(i) as i64, 0),
        };
        if op.sets_a() && a == reg {
            last = pc;
        }
        match op {
            OpCode::LoadNil if a <= reg && reg as i64 <= b => last = pc,
            OpCode::Self_ if reg == a + 1 => last = pc,
            OpCode::TForLoop if reg >= a + 2 => last = pc,
            OpCode::ForLoop | OpCode::ForPrep | OpCode::Jmp => {
                let dest = pc as i64 + 1 + b;
                if (pc as i64) < dest && dest <= lastpc as i64 {
                    pc = (pc as i64 + b) as usize;
                }
            }
            OpCode::Call | OpCode::TailCall if reg >= a => last = pc,
            OpCode::SetList if c == 0 => pc += 1,
            OpCode::Closure => {
                if let Some(child) = p.protos.get(b as usize) {
                    pc += child.nups as usize;
                }
            }
            _ => {}
        }
        pc += 1;
    }
    code.get(last).copied().unwrap_or(0)
}

/// kname: a constant string operand's text, else "?".
fn kname(p: &Proto, c: usize) -> Vec<u8> {
    if proto::is_k(c) {
        if let Some(Constant::String(s)) = p.constants.get(proto::index_k(c)) {
            return s.to_vec();
        }
    }
    b"?".to_vec()
}

impl<H: Host> Lua<H> {
    /// The prototype of a Lua frame.
    fn ci_proto(&self, ci: &CallInfo) -> Option<&Proto> {
        if ci.kind != CiKind::Lua {
            return None;
        }
        match &self.funcs.items[ci.func_ref.0 as usize] {
            Closure::Lua { p, .. } => Some(&p.p),
            _ => None,
        }
    }

    /// currentpc: the instruction a Lua frame is executing.
    fn current_pc(ci: &CallInfo) -> usize {
        ci.savedpc.saturating_sub(1)
    }

    /// currentline of a frame (`None` for natives).
    fn current_line(&self, ci: &CallInfo) -> Option<u32> {
        let p = self.ci_proto(ci)?;
        p.lineinfo.get(Self::current_pc(ci)).copied()
    }

    /// The source and current line of the innermost Lua frame, if any.
    pub(crate) fn innermost_lua_position(&self) -> Option<(alloc::sync::Arc<[u8]>, u32)> {
        self.cis.iter().rev().find_map(|ci| {
            let p = self.ci_proto(ci)?;
            let line = self.current_line(ci)?;
            Some((p.source.clone(), line))
        })
    }

    /// The current line of frame `idx` (None for natives).
    pub(crate) fn frame_line(&self, idx: usize) -> Option<u32> {
        self.current_line(self.cis.get(idx)?)
    }

    /// How the caller of frame `idx` named its function (getfuncname).
    pub(crate) fn frame_name(&self, idx: usize) -> Option<(&'static str, Vec<u8>)> {
        self.func_name(idx)
    }

    /// "chunk:line: " of the running frame if it is a Lua frame (addinfo).
    pub(crate) fn current_position(&self) -> Vec<u8> {
        match self.cis.last() {
            Some(ci) => self.position_of(ci),
            None => Vec::new(),
        }
    }

    fn position_of(&self, ci: &CallInfo) -> Vec<u8> {
        let (Some(p), Some(line)) = (self.ci_proto(ci), self.current_line(ci)) else {
            return Vec::new();
        };
        let mut m = proto::chunk_id(&p.source);
        m.push(b':');
        push_decimal(&mut m, line as u64);
        m.extend_from_slice(b": ");
        m
    }

    /// getobjname: how the value in register `reg` of Lua frame `ci_idx` was
    /// obtained.
    fn obj_name(&self, ci_idx: usize, reg: usize) -> Option<(&'static str, Vec<u8>)> {
        let ci = self.cis.get(ci_idx)?;
        let p = self.ci_proto(ci)?;
        let pc = Self::current_pc(ci);
        if let Some(name) = local_name(p, reg + 1, pc) {
            return Some(("local", name.to_vec()));
        }
        let i = symbexec(p, pc, reg);
        match proto::get_op(i)? {
            OpCode::GetGlobal => match p.constants.get(proto::get_bx(i)) {
                Some(Constant::String(s)) => Some(("global", s.to_vec())),
                _ => None,
            },
            OpCode::Move => {
                let a = proto::get_a(i);
                let b = proto::get_b(i);
                if b < a {
                    self.obj_name(ci_idx, b)
                } else {
                    None
                }
            }
            OpCode::GetTable => Some(("field", kname(p, proto::get_c(i)))),
            OpCode::GetUpval => {
                let name = p.upvalue_names.get(proto::get_b(i)).map(|n| n.to_vec()).unwrap_or_else(|| b"?".to_vec());
                Some(("upvalue", name))
            }
            OpCode::Self_ => Some(("method", kname(p, proto::get_c(i)))),
            _ => None,
        }
    }

    /// The name of the value at stack index `slot`, if it is a register of
    /// the running Lua frame (isinstack + getobjname).
    pub(crate) fn slot_name(&self, slot: usize) -> Option<(&'static str, Vec<u8>)> {
        let idx = self.cis.len().checked_sub(1)?;
        let ci = &self.cis[idx];
        if ci.kind != CiKind::Lua || slot < ci.base || slot >= ci.top {
            return None;
        }
        self.obj_name(idx, slot - ci.base)
    }

    /// getfuncname: how the function of frame `ci_idx` was named by its caller.
    fn func_name(&self, ci_idx: usize) -> Option<(&'static str, Vec<u8>)> {
        let ci = self.cis.get(ci_idx)?;
        if ci.kind == CiKind::Lua && ci.tailcalls > 0 {
            return None;
        }
        let caller_idx = ci_idx.checked_sub(1)?;
        let caller = &self.cis[caller_idx];
        let p = self.ci_proto(caller)?;
        let i = *p.code.get(Self::current_pc(caller))?;
        match proto::get_op(i)? {
            OpCode::Call | OpCode::TailCall | OpCode::TForLoop => self.obj_name(caller_idx, proto::get_a(i)),
            _ => None,
        }
    }

    /// luaL_where(level): "chunk:line: " of the function `level` frames down
    /// (1 = the caller of the running native), or nothing.
    pub(crate) fn where_(&self, level: usize) -> Vec<u8> {
        let mut level = level as i64;
        let mut idx = self.cis.len() as i64 - 1;
        while level > 0 && idx >= 0 {
            level -= 1;
            let ci = &self.cis[idx as usize];
            if self.ci_proto(ci).is_some() {
                level -= ci.tailcalls as i64;
            }
            idx -= 1;
        }
        if level == 0 && idx >= 0 {
            let ci = &self.cis[idx as usize];
            if let Some(line) = self.current_line(ci) {
                if line > 0 {
                    return self.position_of(ci);
                }
            }
        }
        Vec::new()
    }

    /// luaL_argerror's message (without the position prefix).
    pub(crate) fn arg_error_msg(&self, narg: usize, extra: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        let Some(top) = self.cis.len().checked_sub(1) else {
            m.extend_from_slice(b"bad argument #");
            push_decimal(&mut m, narg as u64);
            m.extend_from_slice(b" (");
            m.extend_from_slice(extra);
            m.push(b')');
            return m;
        };
        let named = self.func_name(top);
        let mut narg = narg as i64;
        if let Some(("method", ref name)) = named {
            narg -= 1;
            if narg == 0 {
                m.extend_from_slice(b"calling '");
                m.extend_from_slice(name);
                m.extend_from_slice(b"' on bad self (");
                m.extend_from_slice(extra);
                m.push(b')');
                return m;
            }
        }
        let name: &[u8] = match &named {
            Some((_, n)) => n,
            None => b"?",
        };
        m.extend_from_slice(b"bad argument #");
        if narg < 0 {
            m.push(b'-');
        }
        push_decimal(&mut m, narg.unsigned_abs());
        m.extend_from_slice(b" to '");
        m.extend_from_slice(name);
        m.extend_from_slice(b"' (");
        m.extend_from_slice(extra);
        m.push(b')');
        m
    }

    /// luaL_argerror raised by the VM itself for a native it implements
    /// (pcall, xpcall).
    pub(crate) fn native_arg_error(&mut self, narg: usize, extra: &[u8]) -> LuaError {
        let mut m = self.where_(1);
        let msg = self.arg_error_msg(narg, extra);
        m.extend_from_slice(&msg);
        self.plain_error(&m)
    }
}

/// Appends a number in decimal.
pub(crate) fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut d = [0u8; 20];
    let mut len = 0;
    loop {
        d[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
        if n == 0 {
            break;
        }
    }
    for j in (0..len).rev() {
        out.push(d[j]);
    }
}
