"""Chaos game: points of a Sierpinski-like pentagon fractal and of a
Barnsley-fern iterated function system, drawn with a fixed-seed linear
congruential generator (no dependence on the ``random`` module) and
rasterized into a grid; the checksum summarizes the grid."""

DEFAULT_SCALE = 250000   # points per figure
TRACE_SCALE = 10000


class LCG(object):
    def __init__(self, seed):
        self.state = seed & 0x7FFFFFFF

    def next_int(self):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return self.state

    def next_float(self):
        return self.next_int() / 2147483648.0


class Grid(object):
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.cells = [0] * (width * height)

    def plot(self, x, y, xmin, xmax, ymin, ymax):
        if x < xmin or x >= xmax or y < ymin or y >= ymax:
            return False
        col = int((x - xmin) / (xmax - xmin) * self.width)
        row = int((y - ymin) / (ymax - ymin) * self.height)
        self.cells[row * self.width + col] += 1
        return True

    def checksum(self):
        total = 0
        filled = 0
        for i, c in enumerate(self.cells):
            if c == 0:
                continue
            filled += 1
            total = (total * 31 + i * c) % 1000000007
        return total, filled


def polygon_game(rng, points, grid):
    SIDES = 5
    RATIO = 3.0 / 8.0
    WARMUP = 20
    # Vertices of a regular pentagon, by rotation (no trigonometry needed
    # beyond the two constants).
    COS72 = 0.30901699437494745
    SIN72 = 0.9510565162951535
    vx, vy = 0.0, 1.0
    vertices = []
    for _ in range(SIDES):
        vertices.append((vx, vy))
        vx, vy = vx * COS72 - vy * SIN72, vx * SIN72 + vy * COS72
    x, y = 0.0, 0.0
    last = -1
    drawn = 0
    for i in range(points + WARMUP):
        k = rng.next_int() % SIDES
        if k == last:
            # The classic restriction: never the same vertex twice in a row.
            continue
        last = k
        tx, ty = vertices[k]
        x += (tx - x) * (1.0 - RATIO)
        y += (ty - y) * (1.0 - RATIO)
        if i < WARMUP:
            continue
        if grid.plot(x, y, -1.0, 1.0, -1.0, 1.0):
            drawn += 1
    return drawn


def fern_game(rng, points, grid):
    # (a, b, c, d, e, f, cumulative probability)
    TRANSFORMS = (
        (0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 0.01),
        (0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 0.86),
        (0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 0.93),
        (-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 1.0),
    )
    DEBUG = False
    x, y = 0.0, 0.0
    drawn = 0
    for _ in range(points):
        p = rng.next_float()
        for t in TRANSFORMS:
            if p < t[6]:
                break
        a, b, c, d, e, f, _p = t
        x, y = a * x + b * y + e, c * x + d * y + f
        if DEBUG:
            print(x, y)
        if grid.plot(x, y, -3.0, 3.0, 0.0, 10.0):
            drawn += 1
    return drawn


def main(scale=DEFAULT_SCALE):
    WIDTH = 64
    HEIGHT = 64
    rng = LCG(20240601)
    g1 = Grid(WIDTH, HEIGHT)
    g2 = Grid(WIDTH, HEIGHT)
    d1 = polygon_game(rng, scale, g1)
    d2 = fern_game(rng, scale, g2)
    return (d1, d2, g1.checksum(), g2.checksum())


if __name__ == "__main__":
    print(main())
