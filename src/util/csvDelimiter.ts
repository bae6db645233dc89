/**
 * The separator of a CSV file's header line: whichever of `;` and `,` occurs more often outside
 * quotes (Dutch spreadsheets write `;`). Shared by every CSV the tool reads from a user.
 */
export function detectDelimiter(content: string): "," | ";" {
  const headerLine = content.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, "");
  const count = (ch: string) => headerLine.split(ch).length - 1;
  return count(";") > count(",") ? ";" : ",";
}
