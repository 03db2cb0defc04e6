// A `python3.X` command line on top of pyodide's CPython 3.X (WebAssembly,
// run by Node.js), so that every tool and test that starts an interpreter as
// a subprocess — the differential-execution worker, the opcode-table probe,
// compileall, the benchmark counters — runs unchanged under 3.X. One file for
// every version: each version's `tools/py3X/bin/python3.X` runs
//
//   node tools/pyodide/python.mjs VERSION_DIR 3.X [python arguments]
//
// and this loads the pyodide that `tools/pyodide/setup.sh 3.X` installed in
// VERSION_DIR/node_modules (by path: a bare `import "pyodide"` would resolve
// next to this file, not next to the version's package.json). The python
// arguments are
//
//   python3.X [-I] [-u] [-B] [-E] [-s] [-S] [-q] [-O|-OO] [-X opt] [-W arg]
//             (-c CMD | -m MODULE | SCRIPT | -) [ARGS...]
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
import { pathToFileURL } from "node:url";

if (process.argv.length < 4 || !/^3\.\d+$/.test(process.argv[3])) {
  process.stderr.write("usage: node python.mjs VERSION_DIR 3.X [python arguments]\n");
  process.exit(2);
}
const versionDir = path.resolve(process.argv[2]);
const version = process.argv[3];
const name = `python${version}`;
const { loadPyodide } = await import(
  pathToFileURL(path.join(versionDir, "node_modules", "pyodide", "pyodide.mjs")).href
);

function usage(msg) {
  process.stderr.write(`${name} (pyodide): ${msg}\n`);
  process.exit(2);
}

const argv = process.argv.slice(4);
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
        process.stdout.write(`Python ${version} (pyodide)\n`);
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
const executable = path.join(versionDir, "bin", name);
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
  for (const entry of fs.readdirSync(dir)) {
    if (skip.has(entry)) continue;
    const host = path.join(dir, entry);
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
      process.stderr.write(`${name} (pyodide): cannot mount ${host}: ${e}\n`);
    }
  }
}
mountAll("/", new Set(["dev", "proc", "sys", "lib"]));

py.globals.set("_pyopt_mode", py.toPy(mode));
py.globals.set("_pyopt_argv", py.toPy(rest));
py.globals.set("_pyopt_cwd", process.cwd());
py.globals.set("_pyopt_no_bytecode", noBytecode);
py.globals.set("_pyopt_name", name);
const code = py.runPython(`
def _pyopt_main(mode, rest, cwd, no_bytecode, name):
    import os, runpy, sys
    try:
        os.chdir(cwd)
    except OSError as e:
        print("%s (pyodide): cannot enter %s (%s); running in /" % (name, cwd, e),
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
_pyopt_main(list(_pyopt_mode), list(_pyopt_argv), _pyopt_cwd, _pyopt_no_bytecode, _pyopt_name)
`);
process.exitCode = typeof code === "number" ? code : 1;
