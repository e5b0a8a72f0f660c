# Prints the hostile corpus as a markdown table: python3 table.py < cases.json
import json, sys
cases = json.load(sys.stdin)["cases"]
cell = lambda s: str(s).encode("unicode_escape").decode("ascii").replace("|", "\\|")
print("| id | kind | item | attacker | expected outcome |\n|---|---|---|---|---|")
for c in cases:
    print("| `%s` | %s | %s | %s | %s |" % (c["id"], c.get("kind", "trail"), c["item"], cell(c["by"]), cell(c["outcome"])))
