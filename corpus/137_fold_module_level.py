"""Constants at module level (LOAD_NAME/STORE_NAME, not fast locals): a
module-level name stored once from a constant can still be changed through
globals(), by a function's `global` statement, or by `del`; and module-level
constant conditions, comparisons and `in` tests must behave as in a
function."""
import sys

LIMIT = 8
SCALE = LIMIT * 3
NAME = "mod"
print("start", LIMIT, SCALE, NAME)


def bump_limit():
    global LIMIT
    LIMIT = LIMIT + 1


bump_limit()
print("after bump", LIMIT, LIMIT > 8, SCALE)

FLAG = 1 < 2
globals()["FLAG"] = "changed through globals()"
print("flag", FLAG)

GONE = "here"
del GONE
try:
    print(GONE)
except NameError as e:
    print("NameError", e)

if 1 < 2:
    BRANCH = "live"
else:
    BRANCH = "dead"
print("branch", BRANCH, sys._getframe().f_lineno)

if 2 < 1:
    NEVER = 1
print("never defined", "NEVER" in globals(), sys._getframe().f_lineno)

COUNT = 0
while 2 < 1:
    COUNT += 100
for _i in range(3):
    if _i == 1:
        continue
    COUNT += 1
else:
    COUNT += 10
print("count", COUNT)

SHADOW = 1
SHADOW_LIST = [SHADOW for SHADOW in range(3)]
print("shadow", SHADOW, SHADOW_LIST)

WALRUS = 0
WALRUS_LIST = [(WALRUS := i * 2) for i in range(3)]
print("walrus", WALRUS, WALRUS_LIST)

X1 = True + True
X2 = True & False
X3 = 2 ** 200 > 2 ** 199
X4 = "ab" * 2049
X5 = (1,) * 257
X6 = 2 in (1, 2.0, "a")
X7 = -(0.0)
print("folded", X1, X2, X3, len(X4), len(X5), X6, repr(X7))

try:
    Y = 1 / 0
except ZeroDivisionError as e:
    print("module-level raise", e, e.__traceback__.tb_lineno)

Z = 0 and undefined_name
W = "" or "fallback"
print("short circuit", Z, W)


class Config:
    DEBUG = 1 < 2
    LEVEL = 3
    if DEBUG:
        LEVEL = LEVEL * 10
    NAMES = [n for n in ("a", "b")] if DEBUG else []


print("class", Config.DEBUG, Config.LEVEL, Config.NAMES)


def read_module_constants():
    return LIMIT, SCALE, NAME, FLAG, COUNT, SHADOW, WALRUS, X1, X2, Config.LEVEL


def main():
    return read_module_constants()


print("read", read_module_constants())
