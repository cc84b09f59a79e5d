// Folds every case of a JSON file with the JavaScript fold and prints the results as JSON.
// Usage: node tests/js/fold_cli.js cases.json   (cases: [{"events", "students", "closed"}])
import { readFileSync } from "node:fs";
import { fold } from "../../webapp/static/pwa/fold.js";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = cases.map((c) => fold(c.events, c.students, { closed: Boolean(c.closed) }));
process.stdout.write(JSON.stringify(results));
