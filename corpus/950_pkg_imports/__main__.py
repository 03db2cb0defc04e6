# A multi-module program: a package with relative imports, a subpackage,
# module-level state shared between modules, and functions whose code lives
# in different .pyc files (each is optimized separately).
import app
from app import util
from app.sub import deep

print(app.VERSION, app.greet("pyopt"))
print(util.scale([1, 2, 3], 4), util.CALLS)
print(deep.walk(5), util.CALLS)
print(sorted(name for name in dir(app) if not name.startswith("_")))


def main():
    return app.greet("main"), deep.walk(3), util.CALLS
