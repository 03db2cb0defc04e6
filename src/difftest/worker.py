# pyopt difftest worker: runs under the CPython being tested (3.8+), reads one
# JSON request per line on stdin and answers with one JSON line on stdout.
#
#   {"op": "compile", "source": str, "filename": str}
#       -> {"ok": true, "pyc": hex} | {"ok": false, "error": str}
#   {"op": "run", "pyc": hex, "filename": str, "trace": bool,
#    "modules": {name: {"pyc": hex, "filename": str, "package": bool}}?}
#       -> {"ok": true, "stdout": str, "stderr": str, "exception": null | {...},
#           "traceback": [[name, line, col, end_col], ...], "lines": [str, ...],
#           "main": null | str, "truncated": bool}
#   {"op": "version"} -> {"ok": true, "version": "3.X"}
#
# The protocol channel is the real stdout, saved at start; the program's own
# output goes to StringIO buffers. Embedded in the pyopt binary.
import builtins
import gc
import importlib.util
import io
import json
import marshal
import sys
import types

PROTO_OUT = sys.stdout
PROTO_IN = sys.stdin
MAX_EVENTS = 200000


def qualname(code):
    return getattr(code, "co_qualname", code.co_name)


def compile_pyc(source, filename):
    from importlib import _bootstrap_external as be

    code = compile(source, filename, "exec", dont_inherit=True)
    data = be._code_to_timestamp_pyc(code, 0, len(source.encode("utf-8")))
    return bytes(data)


def frames_of(tb):
    out = []
    while tb is not None:
        code = tb.tb_frame.f_code
        col = end_col = None
        if hasattr(code, "co_positions"):
            try:
                pos = list(code.co_positions())[tb.tb_lasti // 2]
                col, end_col = pos[2], pos[3]
            except Exception:
                pass
        out.append([qualname(code), tb.tb_lineno, col, end_col])
        tb = tb.tb_next
    return out


class PycFinder:
    """Serves the modules of a multi-module program from the given pycs."""

    def __init__(self, modules):
        self.modules = modules  # name -> (code, filename, is_package)

    def find_spec(self, name, path=None, target=None):
        if name not in self.modules:
            return None
        _, filename, is_pkg = self.modules[name]
        return importlib.util.spec_from_loader(name, self, origin=filename, is_package=is_pkg)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code, filename, is_pkg = self.modules[module.__name__]
        module.__file__ = filename
        if is_pkg:
            module.__path__ = []
        exec(code, module.__dict__)


def run(pyc, filename, trace, modules=None):
    code = marshal.loads(pyc[16:])
    finder = None
    if modules:
        finder = PycFinder(
            {
                name: (marshal.loads(bytes.fromhex(m["pyc"])[16:]), m["filename"], m["package"])
                for name, m in modules.items()
            }
        )
        sys.meta_path.insert(0, finder)
    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__builtins__ = builtins
    ns = module.__dict__
    out, err = io.StringIO(), io.StringIO()
    events = []
    truncated = [False]

    def local(frame, event, arg):
        if event == "line":
            if len(events) < MAX_EVENTS:
                events.append("%s:%d" % (qualname(frame.f_code), frame.f_lineno))
            else:
                truncated[0] = True
        return local

    traced = {filename}
    if modules:
        traced.update(m["filename"] for m in modules.values())

    def glob(frame, event, arg):
        if frame.f_code.co_filename not in traced:
            return None
        if len(events) < MAX_EVENTS:
            events.append("call %s" % qualname(frame.f_code))
        return local

    result = {"ok": True, "exception": None, "traceback": [], "main": None}
    # Objects of earlier runs (suspended generators in reference cycles) must
    # be finalized now, not while this run is being traced.
    gc.collect()
    saved = sys.stdout, sys.stderr, sys.modules.get("__main__")
    sys.stdout, sys.stderr = out, err
    sys.modules["__main__"] = module
    try:
        if trace:
            sys.settrace(glob)
        try:
            exec(code, ns)
            main = ns.get("main")
            if callable(main):
                result["main"] = repr(main())
        finally:
            sys.settrace(None)
    except BaseException as e:  # the program's own exception, reported
        result["exception"] = {"type": type(e).__name__, "message": str(e)}
        result["traceback"] = frames_of(e.__traceback__.tb_next if e.__traceback__ else None)
    finally:
        sys.stdout, sys.stderr = saved[0], saved[1]
        if saved[2] is not None:
            sys.modules["__main__"] = saved[2]
        if finder is not None:
            sys.meta_path.remove(finder)
            for name in finder.modules:
                sys.modules.pop(name, None)
    result["stdout"] = out.getvalue()
    result["stderr"] = err.getvalue()
    result["lines"] = events
    result["truncated"] = truncated[0]
    ns.clear()
    return result


def serve():
    # Everything alive now (the worker and the modules it imported) is never
    # garbage: keep it out of the per-run collections.
    gc.collect()
    gc.freeze()
    for line in PROTO_IN:
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "compile":
                try:
                    pyc = compile_pyc(req["source"], req["filename"])
                    resp = {"ok": True, "pyc": pyc.hex()}
                except SyntaxError as e:
                    resp = {"ok": False, "error": "SyntaxError: %s (line %s)" % (e.msg, e.lineno)}
            elif op == "run":
                resp = run(
                    bytes.fromhex(req["pyc"]), req["filename"], req.get("trace", True), req.get("modules")
                )
            elif op == "version":
                resp = {"ok": True, "version": "%d.%d" % sys.version_info[:2]}
            else:
                resp = {"ok": False, "error": "unknown op %r" % (op,)}
        except Exception as e:  # a bug in the worker itself, never the program's
            resp = {"ok": False, "error": "worker: %s: %s" % (type(e).__name__, e)}
        PROTO_OUT.write(json.dumps(resp) + "\n")
        PROTO_OUT.flush()


if __name__ == "__main__":
    serve()
