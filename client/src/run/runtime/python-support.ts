/**
 * Python helpers installed once into Pyodide's `__main__`. Each run executes in a fresh namespace (like
 * `python main.py`), writes through unbuffered streams so stdout and stderr keep their order, and reports
 * uncaught exceptions with only the program's own frames, whose `main.py` line numbers match the editor.
 * Pyodide's advice to `micropip.install` a missing package is replaced: nothing can be downloaded here.
 */
export const PYTHON_SUPPORT_SOURCE = `
import ast, inspect, io, linecache, random, sys, traceback

# Restored from the build's memory snapshot, \`random\` would draw the same numbers in every session.
random.seed()

class _PadStream(io.TextIOBase):
    def __init__(self, write, name):
        self._write = write
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return 'utf-8'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f'write() argument must be str, not {type(text).__name__}')
        if text:
            self._write(text)
        return len(text)

def _pad_report(error):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != 'main.py':
        tb = tb.tb_next
    if (isinstance(error, ModuleNotFoundError) and error.name
            and error.name.split('.')[0] not in sys.stdlib_module_names):
        error.msg = (f'No module named {error.name!r}: packages cannot be installed here '
                     '(Python runs offline in this pad, with the standard library only)')
    traceback.print_exception(type(error), error, tb)

async def _pad_run(code, write_out, write_err):
    sys.stdout = _PadStream(write_out, '<stdout>')
    sys.stderr = _PadStream(write_err, '<stderr>')
    namespace = {'__name__': '__main__', '__builtins__': __builtins__}
    # Tracebacks quote the program's lines from here (no mtime: never checked against a file).
    linecache.cache['main.py'] = (len(code), None, code.splitlines(True), 'main.py')
    try:
        compiled = compile(code, 'main.py', 'exec', flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        result = eval(compiled, namespace)
        if inspect.iscoroutine(result):
            await result
        return 0
    except SystemExit as exit:
        if exit.code is None:
            return 0
        if isinstance(exit.code, int):
            return exit.code
        print(exit.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt as error:
        _pad_report(error)
        return 130
    except BaseException as error:
        _pad_report(error)
        return 1
    finally:
        namespace.clear()
`;

/** Exit status of a run ended by KeyboardInterrupt (128 + SIGINT, as a shell reports it). */
export const INTERRUPTED_EXIT_CODE = 130;
