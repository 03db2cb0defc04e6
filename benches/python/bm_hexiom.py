"""Hexiom-style constraint search: on a hexagonal board, place numbered
tiles so that every tile's number equals how many of its neighbours hold
tiles.  Puzzles are generated from a fixed-seed LCG (a random occupied set
gives the tile multiset); a backtracking solver with bound propagation
counts the solutions of each, within a fixed total budget of search nodes
(puzzles differ a lot in difficulty; the budget keeps the work fixed)."""

DEFAULT_SCALE = 150   # search budget, in thousands of nodes
TRACE_SCALE = 3


class LCG(object):
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 8) % n


def hex_cells(radius):
    """Axial coordinates of a hexagon of the given radius, and neighbour lists."""
    cells = []
    for q in range(-radius, radius + 1):
        for r in range(-radius, radius + 1):
            if abs(q + r) <= radius:
                cells.append((q, r))
    index = {}
    for i, c in enumerate(cells):
        index[c] = i
    DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1))
    neighbours = []
    for (q, r) in cells:
        ns = []
        for dq, dr in DIRECTIONS:
            j = index.get((q + dq, r + dr))
            if j is not None:
                ns.append(j)
        neighbours.append(tuple(ns))
    return cells, neighbours


def make_puzzle(rng, ncells, neighbours, tiles):
    occupied = [False] * ncells
    placed = 0
    while placed < tiles:
        i = rng.below(ncells)
        if occupied[i]:
            continue
        occupied[i] = True
        placed += 1
    counts = [0] * 7
    for i in range(ncells):
        if not occupied[i]:
            continue
        n = 0
        for j in neighbours[i]:
            if occupied[j]:
                n += 1
        counts[n] += 1
    return counts


class Solver(object):
    UNKNOWN = -2
    EMPTY = -1

    def __init__(self, neighbours, counts, limit):
        self.limit = limit
        self.neighbours = neighbours
        self.n = len(neighbours)
        self.counts = list(counts)
        self.empties = self.n - sum(counts)
        self.value = [Solver.UNKNOWN] * self.n
        self.nodes = 0
        self.solutions = 0
        self.signature = 0

    def consistent(self, i):
        """Every decided tile next to (or at) cell i can still see the right count."""
        value = self.value
        UNKNOWN = Solver.UNKNOWN
        EMPTY = Solver.EMPTY
        for c in (i,) + self.neighbours[i]:
            v = value[c]
            if v < 0:
                continue
            lo = 0
            hi = 0
            for j in self.neighbours[c]:
                w = value[j]
                if w == UNKNOWN:
                    hi += 1
                elif w != EMPTY:
                    lo += 1
                    hi += 1
            if v < lo or v > hi:
                return False
        return True

    def search(self, i):
        if self.nodes >= self.limit:
            return
        self.nodes += 1
        if i == self.n:
            self.solutions += 1
            h = 0
            for v in self.value:
                h = (h * 8 + v + 1) % 1000003
            self.signature = (self.signature + h) % 1000003
            return
        value = self.value
        counts = self.counts
        if self.empties > 0:
            value[i] = Solver.EMPTY
            self.empties -= 1
            if self.consistent(i):
                self.search(i + 1)
            self.empties += 1
        MAX_TILE = 6
        for t in range(MAX_TILE + 1):
            if counts[t] == 0:
                continue
            if t > len(self.neighbours[i]):
                break
            counts[t] -= 1
            value[i] = t
            if self.consistent(i):
                self.search(i + 1)
            counts[t] += 1
        value[i] = Solver.UNKNOWN


def main(scale=DEFAULT_SCALE):
    RADIUS = 2
    cells, neighbours = hex_cells(RADIUS)
    ncells = len(cells)
    tiles = ncells * 4 // 5
    rng = LCG(7)
    budget = scale * 1000
    result = []
    while budget > 0:
        counts = make_puzzle(rng, ncells, neighbours, tiles)
        solver = Solver(neighbours, counts, budget)
        solver.search(0)
        budget -= solver.nodes
        if budget > 0 and solver.solutions == 0:
            raise AssertionError("the generating placement is always a solution")
        result.append((solver.solutions, solver.nodes, solver.signature))
    return result


if __name__ == "__main__":
    print(main())
