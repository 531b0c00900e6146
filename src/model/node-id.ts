// Chain node ids (`x<id>` for an exchange, `line:source:line` for a service log's span), read by
// stats and reporters. Apart from the chain schema: code that reads ids loads no zod schemas.

/** The exchange id of an `x<id>` node, or null for a `line:` node. */
export function exchangeIdOfNode(node: string): number | null {
  if (node.length < 2 || node[0] !== 'x') return null;
  const id = Number(node.slice(1));
  return Number.isInteger(id) ? id : null;
}
