# min-version: 3.10
# Or-patterns compile to "jump over a jump": each alternative's test jumps
# to the next alternative when it fails and to the case body when it
# matches. jump-threading inverts those tests.
def kind(ch):
    match ch:
        case "Y" | "y" | "G":
            return "year"
        case "d" | "j":
            return "day"
        case _:
            return "other"


print([kind(c) for c in "YyGdjx"])
