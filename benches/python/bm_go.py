"""Go: random playouts on a 9x9 board (captures, no suicide, simple ko, no
filling of one's own eyes) driven by a fixed-seed LCG, plus area scoring.
A light flavour of the Monte Carlo playouts behind computer Go."""

DEFAULT_SCALE = 600   # games
TRACE_SCALE = 15

EMPTY = 0
BLACK = 1
WHITE = 2
BORDER = 3


class LCG(object):
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % n


class Board(object):
    def __init__(self, size):
        self.size = size
        self.stride = size + 2
        self.cells = [BORDER] * (self.stride * self.stride)
        self.points = []
        for row in range(1, size + 1):
            for col in range(1, size + 1):
                p = row * self.stride + col
                self.cells[p] = EMPTY
                self.points.append(p)
        self.offsets = (1, -1, self.stride, -self.stride)
        self.ko = -1
        self.captured = [0, 0, 0]

    def group_and_liberties(self, start):
        cells = self.cells
        color = cells[start]
        group = [start]
        seen = {start}
        liberties = 0
        lib_seen = set()
        i = 0
        while i < len(group):
            p = group[i]
            i += 1
            for d in self.offsets:
                q = p + d
                c = cells[q]
                if c == EMPTY:
                    if q not in lib_seen:
                        lib_seen.add(q)
                        liberties += 1
                elif c == color and q not in seen:
                    seen.add(q)
                    group.append(q)
        return group, liberties

    def is_eye(self, p, color):
        cells = self.cells
        for d in self.offsets:
            c = cells[p + d]
            if c != color and c != BORDER:
                return False
        return True

    def legal_capture_count(self, p, color):
        """-1 if playing color at p is illegal, else the number of stones it captures."""
        if self.cells[p] != EMPTY or p == self.ko:
            return -1
        other = 3 - color
        cells = self.cells
        cells[p] = color
        captures = 0
        for d in self.offsets:
            q = p + d
            if cells[q] == other:
                group, libs = self.group_and_liberties(q)
                if libs == 0:
                    captures += len(group)
        if captures == 0:
            group, libs = self.group_and_liberties(p)
            if libs == 0:
                cells[p] = EMPTY
                return -1
        cells[p] = EMPTY
        return captures

    def play(self, p, color):
        other = 3 - color
        cells = self.cells
        cells[p] = color
        removed = []
        for d in self.offsets:
            q = p + d
            if cells[q] != other:
                continue
            group, libs = self.group_and_liberties(q)
            if libs:
                continue
            for s in group:
                cells[s] = EMPTY
            removed.extend(group)
        self.captured[color] += len(removed)
        if len(removed) == 1:
            self.ko = removed[0]
        else:
            self.ko = -1

    def score(self):
        KOMI = 7
        cells = self.cells
        black = white = 0
        for p in self.points:
            c = cells[p]
            if c == BLACK:
                black += 1
            elif c == WHITE:
                white += 1
            else:
                b = w = False
                for d in self.offsets:
                    n = cells[p + d]
                    if n == BLACK:
                        b = True
                    elif n == WHITE:
                        w = True
                if b and not w:
                    black += 1
                elif w and not b:
                    white += 1
        return black - white - KOMI


def playout(rng, size):
    MAX_MOVES = 3 * size * size
    TRIES = 12
    board = Board(size)
    color = BLACK
    passes = 0
    moves = 0
    npoints = len(board.points)
    while moves < MAX_MOVES:
        move = -1
        for _ in range(TRIES):
            p = board.points[rng.below(npoints)]
            if board.cells[p] != EMPTY:
                continue
            if board.is_eye(p, color):
                continue
            if board.legal_capture_count(p, color) < 0:
                continue
            move = p
            break
        if move < 0:
            passes += 1
            if passes >= 2:
                break
        else:
            passes = 0
            board.play(move, color)
        color = 3 - color
        moves += 1
    return board.score(), moves, board.captured[BLACK] + board.captured[WHITE]


def main(scale=DEFAULT_SCALE):
    SIZE = 9
    rng = LCG(42)
    wins = 0
    total_moves = 0
    total_captures = 0
    margin = 0
    for _ in range(scale):
        s, m, c = playout(rng, SIZE)
        if s > 0:
            wins += 1
        margin += s
        total_moves += m
        total_captures += c
    return (wins, margin, total_moves, total_captures)


if __name__ == "__main__":
    print(main())
