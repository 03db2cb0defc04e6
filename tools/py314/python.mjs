// A `python3.14` command line on top of pyodide's CPython 3.14 (WebAssembly,
// run by Node.js), so that every tool and test that starts an interpreter as
// a subprocess — the differential-execution worker, the opcode-table probe,
// compileall, the benchmark counters — runs unchanged under 3.14.
//
//   python3.14 [-I] [-u] [-B] [-E] [-s] [-S] [-q] [-O|-OO] [-X opt] [-W arg]
//              (-c CMD | -m MODULE | SCRIPT | -) [ARGS...]
//
// The host filesystem is mounted at the same paths (every top-level
// directory except /dev, /proc, /sys and /lib, which holds pyodide's own
// standard library), the working directory is the caller's, stdin, stdout
// and stderr are the process's own file descriptors (byte-exact, unbuffered),
// environment variables are passed through and the exit status is the
// program's (`SystemExit`, 1 for an uncaught exception). What a WebAssembly
// CPython cannot do — `subprocess`, `os.fork`, threads — fails as it does
// in pyodide. Interpreter options that only tune the native process (-I, -u,
// -E, -s, -S, -q, -X) are accepted; -O/-OO, -B and -W are honoured.
import fs from "node:fs";
import path from "node:path";
import { loadPyodide } from "pyodide";

function usage(msg) {
  process.stderr.write(`python3.14 (pyodide): ${msg}\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const flags = [];
let optimize = 0;
let noBytecode = false; // -B
let mode = null; // ["c", code] | ["m", module] | ["script", path] | ["stdin"]
let i = 0;
for (; i < argv.length && mode === null; i++) {
  const a = argv[i];
  if (a === "-c" || a === "-m") {
    if (i + 1 >= argv.length) usage(`argument expected for the ${a} option`);
    mode = [a.slice(1), argv[++i]];
  } else if (a.startsWith("-c") && a.length > 2) {
    mode = ["c", a.slice(2)];
  } else if (a.startsWith("-m") && a.length > 2) {
    mode = ["m", a.slice(2)];
  } else if (a === "-") {
    mode = ["stdin"];
  } else if (a === "-X" || a === "-W") {
    if (i + 1 >= argv.length) usage(`argument expected for the ${a} option`);
    if (a === "-W") flags.push("-W", argv[i + 1]);
    i++;
  } else if (a.startsWith("-X") || a.startsWith("-W")) {
    if (a.startsWith("-W")) flags.push(a);
  } else if (/^-[IuBEsSqObdvV]+$/.test(a)) {
    for (const ch of a.slice(1)) {
      if (ch === "O") optimize++;
      else if (ch === "B") noBytecode = true;
      else if (ch === "V") {
        process.stdout.write("Python 3.14 (pyodide)\n");
        process.exit(0);
      } else if ("bdv".includes(ch)) flags.push(`-${ch}`);
    }
  } else if (a.startsWith("-")) {
    usage(`unknown option ${a}`);
  } else {
    mode = ["script", a];
  }
}
if (mode === null) usage("interactive mode is not supported; give -c, -m or a script");
if (optimize) flags.push("-" + "O".repeat(Math.min(optimize, 2)));
const rest = argv.slice(i);

const env = { ...process.env };
// sys.executable is this command line, so that a program can start "itself".
const executable = path.join(path.dirname(new URL(import.meta.url).pathname), "bin", "python3.14");
const py = await loadPyodide({
  args: flags,
  env,
  stdout: () => {},
  stderr: () => {},
  _sysExecutable: executable,
});

// Byte-exact standard streams on the process's own descriptors.
function writer(fd) {
  return {
    write(buf) {
      let done = 0;
      while (done < buf.length) {
        try {
          done += fs.writeSync(fd, buf, done, buf.length - done);
        } catch (e) {
          if (e.code !== "EAGAIN") throw e;
        }
      }
      return buf.length;
    },
    isatty: false,
  };
}
py.setStdout(writer(1));
py.setStderr(writer(2));
py.setStdin({
  read(buf) {
    for (;;) {
      try {
        return fs.readSync(0, buf, 0, buf.length, null);
      } catch (e) {
        if (e.code === "EOF") return 0;
        if (e.code !== "EAGAIN") throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  },
  isatty: false,
});

// The host's directories at their own paths (/home's children one by one:
// pyodide keeps its own /home/pyodide).
function mountAll(dir, skip) {
  for (const name of fs.readdirSync(dir)) {
    if (skip.has(name)) continue;
    const host = path.join(dir, name);
    let st;
    try {
      st = fs.lstatSync(host);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    if (host === "/home") {
      mountAll(host, new Set(["pyodide"]));
      continue;
    }
    try {
      py.FS.mkdirTree(host);
      py.mountNodeFS(host, host);
    } catch (e) {
      process.stderr.write(`python3.14 (pyodide): cannot mount ${host}: ${e}\n`);
    }
  }
}
mountAll("/", new Set(["dev", "proc", "sys", "lib"]));

py.globals.set("_pyopt_mode", py.toPy(mode));
py.globals.set("_pyopt_argv", py.toPy(rest));
py.globals.set("_pyopt_cwd", process.cwd());
py.globals.set("_pyopt_no_bytecode", noBytecode);
const code = py.runPython(`
def _pyopt_main(mode, rest, cwd, no_bytecode):
    import os, runpy, sys
    try:
        os.chdir(cwd)
    except OSError as e:
        print("python3.14 (pyodide): cannot enter %s (%s); running in /" % (cwd, e),
              file=sys.stderr)
    # As a native interpreter: write bytecode unless -B or
    # PYTHONDONTWRITEBYTECODE (pyodide's own default is not to).
    sys.dont_write_bytecode = bool(no_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"))
    kind = mode[0]
    if kind == "script":
        script = os.path.abspath(mode[1])
        sys.argv = [mode[1]] + rest
        sys.path.insert(0, os.path.dirname(script))
    elif kind == "m":
        sys.argv = [mode[1]] + rest
        sys.path.insert(0, cwd)
    else:
        sys.argv = ["-c" if kind == "c" else "-"] + rest
        sys.path.insert(0, "")
    try:
        if kind == "script":
            runpy.run_path(script, run_name="__main__")
        elif kind == "m":
            runpy.run_module(mode[1], run_name="__main__", alter_sys=True)
        else:
            src = mode[1] if kind == "c" else sys.stdin.read()
            g = {"__name__": "__main__", "__builtins__": __builtins__}
            exec(compile(src, "<string>" if kind == "c" else "<stdin>", "exec"), g)
        status = 0
    except SystemExit as e:
        c = e.code
        if c is None:
            status = 0
        elif isinstance(c, int):
            status = c
        else:
            print(c, file=sys.stderr)
            status = 1
    except BaseException as e:
        import traceback
        tb = e.__traceback__
        tb = tb.tb_next if tb is not None else None  # drop this bootstrap's frame
        traceback.print_exception(type(e), e, tb)
        status = 1
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except Exception:
            pass
    return status & 0xFF
_pyopt_main(list(_pyopt_mode), list(_pyopt_argv), _pyopt_cwd, _pyopt_no_bytecode)
`);
process.exitCode = typeof code === "number" ? code : 1;
