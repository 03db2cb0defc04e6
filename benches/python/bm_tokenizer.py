"""Tokenizer: a hand-written, regex-free scanner for a Python-like language
(identifiers, keywords, integer/float/hex numbers, strings with escapes,
comments, operators by longest match, indentation tokens), run over
generated source text.  The checksum covers the token kinds and values."""

DEFAULT_SCALE = 36   # copies of the generated program
TRACE_SCALE = 1

KEYWORDS = frozenset(("def", "return", "if", "elif", "else", "while", "for",
                      "in", "and", "or", "not", "None", "True", "False",
                      "class", "pass", "break", "continue", "lambda"))
OPERATORS = ("**=", "//=", ">>=", "<<=", "->", "==", "!=", "<=", ">=", "**",
             "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "+", "-", "*",
             "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":",
             ".", ";", "@", "&", "|", "^", "~")
OPERATOR_STARTS = frozenset(op[0] for op in OPERATORS)

NAME, KEYWORD, NUMBER, STRING, OP, NEWLINE, INDENT, DEDENT, COMMENT = range(9)


class TokenizeError(Exception):
    pass


def is_ident_start(ch):
    return ch == "_" or "a" <= ch <= "z" or "A" <= ch <= "Z"


def is_ident_char(ch):
    return ch == "_" or "a" <= ch <= "z" or "A" <= ch <= "Z" or "0" <= ch <= "9"


def tokenize(text):
    TAB_SIZE = 8
    tokens = []
    indents = [0]
    pos = 0
    n = len(text)
    at_line_start = True
    depth = 0
    while pos < n:
        if at_line_start and depth == 0:
            col = 0
            while pos < n and (text[pos] == " " or text[pos] == "\t"):
                if text[pos] == "\t":
                    col = (col // TAB_SIZE + 1) * TAB_SIZE
                else:
                    col += 1
                pos += 1
            if pos < n and (text[pos] == "\n" or text[pos] == "#"):
                # Blank or comment-only line: no indentation change.
                at_line_start = False
                continue
            if col > indents[-1]:
                indents.append(col)
                tokens.append((INDENT, ""))
            while col < indents[-1]:
                indents.pop()
                tokens.append((DEDENT, ""))
            if col != indents[-1]:
                raise TokenizeError("inconsistent dedent at %d" % pos)
            at_line_start = False
            continue
        ch = text[pos]
        if ch == " " or ch == "\t":
            pos += 1
            continue
        if ch == "\n":
            if depth == 0:
                tokens.append((NEWLINE, ""))
                at_line_start = True
            pos += 1
            continue
        if ch == "#":
            end = text.find("\n", pos)
            if end < 0:
                end = n
            tokens.append((COMMENT, text[pos:end]))
            pos = end
            continue
        if is_ident_start(ch):
            start = pos
            pos += 1
            while pos < n and is_ident_char(text[pos]):
                pos += 1
            word = text[start:pos]
            if word in KEYWORDS:
                tokens.append((KEYWORD, word))
            else:
                tokens.append((NAME, word))
            continue
        if "0" <= ch <= "9":
            start = pos
            if ch == "0" and pos + 1 < n and text[pos + 1] in "xX":
                pos += 2
                while pos < n and (text[pos] in "0123456789abcdefABCDEF_"):
                    pos += 1
            else:
                seen_dot = False
                while pos < n:
                    c = text[pos]
                    if "0" <= c <= "9" or c == "_":
                        pos += 1
                    elif c == "." and not seen_dot:
                        seen_dot = True
                        pos += 1
                    else:
                        break
                if pos < n and text[pos] in "eE":
                    pos += 1
                    if pos < n and text[pos] in "+-":
                        pos += 1
                    while pos < n and "0" <= text[pos] <= "9":
                        pos += 1
            tokens.append((NUMBER, text[start:pos]))
            continue
        if ch == '"' or ch == "'":
            quote = ch
            pos += 1
            chars = []
            while True:
                if pos >= n:
                    raise TokenizeError("unterminated string")
                c = text[pos]
                if c == quote:
                    pos += 1
                    break
                if c == "\\":
                    nxt = text[pos + 1]
                    if nxt == "n":
                        chars.append("\n")
                    elif nxt == "t":
                        chars.append("\t")
                    else:
                        chars.append(nxt)
                    pos += 2
                    continue
                if c == "\n":
                    raise TokenizeError("newline in string")
                chars.append(c)
                pos += 1
            tokens.append((STRING, "".join(chars)))
            continue
        if ch in OPERATOR_STARTS:
            for op in OPERATORS:
                if text.startswith(op, pos):
                    break
            else:
                raise TokenizeError("bad operator at %d" % pos)
            if op in "([{":
                depth += 1
            elif op in ")]}":
                depth -= 1
            tokens.append((OP, op))
            pos += len(op)
            continue
        raise TokenizeError("unexpected character %r at %d" % (ch, pos))
    tokens.append((NEWLINE, ""))
    while len(indents) > 1:
        indents.pop()
        tokens.append((DEDENT, ""))
    return tokens


def generate_program(functions):
    lines = []
    for i in range(functions):
        lines.append("# function number %d" % i)
        lines.append("def func_%d(alpha, beta=%d, *rest) -> None:" % (i, i * 7))
        lines.append("    total = 0x%X + %d.%d * alpha" % (i * 31 + 1, i, i % 10))
        lines.append("    names = ['a\\tb', \"c\\\"d\", 'x%d']" % i)
        lines.append("    for k in range(beta):")
        lines.append("        if k %% %d == 0 and not alpha:" % (i % 5 + 2))
        lines.append("            continue")
        lines.append("        elif k >= 1e3:")
        lines.append("            break")
        lines.append("")
        lines.append("        total += (k ** 2) // (beta or 1)  # integer math")
        lines.append("        data = {'key': [k, k << 2, k >> 1], 'other': (alpha, beta)}")
        lines.append("    while total > %d:" % (i * 100 + 1))
        lines.append("        total -= alpha")
        lines.append("    return lambda x: x @ total if x != None else ~total")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(scale=DEFAULT_SCALE):
    FUNCTIONS = 40
    program = generate_program(FUNCTIONS)
    counts = [0] * 9
    h = 0
    for _ in range(scale):
        for kind, value in tokenize(program):
            counts[kind] += 1
            for ch in value:
                h = (h * 131 + ord(ch)) & 0xFFFFFFFF
    return (tuple(counts), h)


if __name__ == "__main__":
    print(main())
