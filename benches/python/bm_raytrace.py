"""Ray tracer: spheres over a checkered plane, one point light, Phong
shading with shadows and recursive reflections, rendered into a small
image; the checksum sums the quantized pixels."""

DEFAULT_SCALE = 140   # image width and height in pixels
TRACE_SCALE = 24

EPSILON = 1e-6
INF = float("inf")


class Vec(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def mul(self, o):
        return Vec(self.x * o.x, self.y * o.y, self.z * o.z)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def length(self):
        return self.dot(self) ** 0.5

    def normalized(self):
        n = self.length()
        if n == 0.0:
            return self
        return self.scale(1.0 / n)

    def reflect(self, normal):
        return self - normal.scale(2.0 * self.dot(normal))


BLACK = Vec(0.0, 0.0, 0.0)
WHITE = Vec(1.0, 1.0, 1.0)


class Ray(object):
    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.normalized()

    def at(self, t):
        return self.origin + self.direction.scale(t)


class Sphere(object):
    def __init__(self, center, radius, color, reflectivity):
        self.center = center
        self.radius = radius
        self.color = color
        self.reflectivity = reflectivity

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return INF
        root = disc ** 0.5
        t = -b - root
        if t > EPSILON:
            return t
        t = -b + root
        if t > EPSILON:
            return t
        return INF

    def normal_at(self, p):
        return (p - self.center).normalized()

    def color_at(self, p):
        return self.color


class Plane(object):
    def __init__(self, point, normal, reflectivity):
        self.point = point
        self.normal = normal.normalized()
        self.reflectivity = reflectivity

    def intersect(self, ray):
        denom = ray.direction.dot(self.normal)
        if abs(denom) < EPSILON:
            return INF
        t = (self.point - ray.origin).dot(self.normal) / denom
        if t > EPSILON:
            return t
        return INF

    def normal_at(self, p):
        return self.normal

    def color_at(self, p):
        if (int(p.x * 2.0 + 1000.0) + int(p.z * 2.0 + 1000.0)) % 2 == 0:
            return Vec(0.9, 0.9, 0.9)
        return Vec(0.1, 0.1, 0.1)


class Scene(object):
    def __init__(self):
        self.objects = [
            Plane(Vec(0.0, -1.0, 0.0), Vec(0.0, 1.0, 0.0), 0.2),
            Sphere(Vec(0.0, 0.0, 5.0), 1.0, Vec(0.9, 0.2, 0.2), 0.3),
            Sphere(Vec(-2.0, 0.2, 6.5), 1.2, Vec(0.2, 0.9, 0.2), 0.4),
            Sphere(Vec(2.0, -0.3, 4.5), 0.7, Vec(0.2, 0.3, 0.9), 0.5),
            Sphere(Vec(0.7, 1.6, 7.0), 0.6, Vec(0.9, 0.9, 0.2), 0.1),
        ]
        self.light = Vec(-5.0, 8.0, -2.0)
        self.ambient = 0.08

    def nearest(self, ray):
        best_t = INF
        best = None
        for obj in self.objects:
            t = obj.intersect(ray)
            if t < best_t:
                best_t = t
                best = obj
        return best, best_t

    def in_shadow(self, point, to_light, distance):
        ray = Ray(point, to_light)
        for obj in self.objects:
            t = obj.intersect(ray)
            if t < distance:
                return True
        return False

    def trace(self, ray, depth):
        MAX_DEPTH = 3
        SHININESS = 20
        obj, t = self.nearest(ray)
        if obj is None:
            # Sky: a vertical gradient.
            k = 0.5 * (ray.direction.y + 1.0)
            return Vec(1.0 - 0.5 * k, 1.0 - 0.3 * k, 1.0)
        point = ray.at(t)
        normal = obj.normal_at(point)
        base = obj.color_at(point)
        color = base.scale(self.ambient)
        to_light = self.light - point
        distance = to_light.length()
        to_light = to_light.normalized()
        if not self.in_shadow(point, to_light, distance):
            diffuse = normal.dot(to_light)
            if diffuse > 0.0:
                color = color + base.scale(diffuse)
            half = (to_light - ray.direction).normalized()
            spec = normal.dot(half)
            if spec > 0.0:
                color = color + WHITE.scale(0.5 * spec ** SHININESS)
        if depth < MAX_DEPTH and obj.reflectivity > 0.0:
            reflected = Ray(point, ray.direction.reflect(normal))
            color = color.scale(1.0 - obj.reflectivity) + \
                self.trace(reflected, depth + 1).scale(obj.reflectivity)
        return color


def clamp_byte(v):
    if v <= 0.0:
        return 0
    if v >= 1.0:
        return 255
    return int(v * 255.0)


def render(scene, width, height):
    FOV_SCALE = 1.0
    eye = Vec(0.0, 0.5, -1.0)
    pixels = []
    for j in range(height):
        y = (0.5 - (j + 0.5) / height) * FOV_SCALE
        for i in range(width):
            x = ((i + 0.5) / width - 0.5) * FOV_SCALE
            ray = Ray(eye, Vec(x, y, 1.0))
            c = scene.trace(ray, 0)
            pixels.append((clamp_byte(c.x), clamp_byte(c.y), clamp_byte(c.z)))
    return pixels


def main(scale=DEFAULT_SCALE):
    pixels = render(Scene(), scale, scale)
    total = 0
    for idx, (r, g, b) in enumerate(pixels):
        total = (total + (idx + 1) * (r * 65536 + g * 256 + b)) % 2147483647
    return total


if __name__ == "__main__":
    print(main())
