/** What the benchmarks feed map-users: the same export in bench:map-users and bench:startup. */

/** Nexxt users that match on mail, UPN, an SMTP alias, and some that match nothing. */
export function nexxtExport(count: number): string {
  const lines = ["id;name;email"];
  for (let i = 0; i < count; i++) {
    const email = i % 10 === 1 ? `U${i}@contoso.onmicrosoft.com` : i % 10 === 2 ? `alias${i}@contoso.com` : i % 100 === 3 ? `gone${i}@elders.nl` : `user${i}@contoso.nl`;
    lines.push(`N${i};"Naam, ${i}";${email}`);
  }
  return lines.join("\r\n") + "\r\n";
}
