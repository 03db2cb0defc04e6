"""Ends with an uncaught exception raised `from` another one, deep inside
method calls; the uncaught exception and its traceback are compared (the
plain run also prints the chained traceback on stderr)."""


class ConfigError(Exception):
    pass


class Section:
    def __init__(self, values):
        self.values = values

    def get(self, key):
        try:
            return self.values[key]
        except KeyError as e:
            raise ConfigError("missing key %r" % key) from e


class Config:
    def __init__(self, sections):
        self.sections = {name: Section(v) for name, v in sections.items()}

    def lookup(self, path):
        section, key = path.split(".")
        return self.sections[section].get(key)


def startup(config, paths):
    values = []
    for p in paths:
        values.append(config.lookup(p))
        print("looked up", p, values[-1])
    return values


cfg = Config({"db": {"host": "localhost", "port": 5432}, "log": {"level": "info"}})
print(startup(cfg, ["db.host", "log.level"]))
try:
    startup(cfg, ["db.user"])
except ConfigError as e:
    print("caught:", e, "cause:", repr(e.__cause__))
startup(cfg, ["db.port", "log.file"])
