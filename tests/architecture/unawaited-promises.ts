// The store is asynchronous (PostgreSQL answers later; SQLite's answers are wrapped the same way).
// A store call that is not awaited fails silently: a write may land after its transaction ended,
// a lookup's promise is always truthy. tsc catches a promise used as a value, not these, so this
// reads the program with the type checker and names every promise that is dropped or tested.
import path from 'node:path';
import ts from 'typescript';

export interface UnawaitedPromise {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Array methods whose callback's result is used as a value (or dropped): an async callback there is a bug. */
const SYNC_CALLBACK_METHODS = new Set(['forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'sort', 'flatMap', 'reduce']);

/** `p.catch(…)` and `p.then(…, onRejected)` as a statement: dropped on purpose, its failure handled. */
function handlesRejection(expr: ts.Expression): boolean {
  if (!ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return false;
  const method = expr.expression.name.text;
  return method === 'catch' || (method === 'then' && expr.arguments.length === 2);
}

export function findUnawaitedPromises(tsconfigPath: string, include: (file: string) => boolean): UnawaitedPromise[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error(`cannot read ${tsconfigPath}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checker = program.getTypeChecker();
  const root = path.dirname(tsconfigPath);
  const found: UnawaitedPromise[] = [];

  const typeIsThenable = (type: ts.Type, at: ts.Node): boolean => {
    const parts = type.isUnion() ? type.types : [type];
    return parts.some((part) => {
      const then = checker.getPropertyOfType(part, 'then');
      return then !== undefined && checker.getTypeOfSymbolAtLocation(then, at).getCallSignatures().length > 0;
    });
  };
  const isThenable = (node: ts.Node): boolean => typeIsThenable(checker.getTypeAtLocation(node), node);
  /** A promise where the code expects a value of a type that cannot be one (unknown and any included). */
  const valueExpected = (expr: ts.Expression): boolean => {
    const expected = checker.getContextualType(expr);
    return expected !== undefined && !typeIsThenable(expected, expr) && !(expected.flags & ts.TypeFlags.TypeParameter) && isThenable(expr);
  };
  const report = (source: ts.SourceFile, node: ts.Node, why: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ file: path.relative(root, source.fileName), line: line + 1, text: node.getText(source).slice(0, 80), why });
  };

  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || !include(path.relative(root, source.fileName))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node)) {
        const expr = node.expression;
        const assignment = ts.isBinaryExpression(expr) && expr.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && expr.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
        if (!assignment && !ts.isVoidExpression(expr) && !handlesRejection(expr) && isThenable(expr)) report(source, expr, 'promise dropped (await it, or `void` it on purpose)');
      } else if ((ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) && isThenable(node.expression)) {
        report(source, node.expression, 'promise tested as a condition');
      } else if (ts.isConditionalExpression(node) && isThenable(node.condition)) {
        report(source, node.condition, 'promise tested as a condition');
      } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && isThenable(node.operand)) {
        report(source, node.operand, 'promise negated');
      } else if (
        ts.isBinaryExpression(node) &&
        [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind) &&
        isThenable(node.left)
      ) {
        report(source, node.left, 'promise tested by && || ??');
      } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && valueExpected(ts.isPropertyAssignment(node) ? node.initializer : node.name)) {
        report(source, node, 'promise given as a value');
      } else if (ts.isTemplateSpan(node) && !ts.isTaggedTemplateExpression(node.parent.parent) && isThenable(node.expression)) {
        report(source, node.expression, 'promise printed in a template');
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        SYNC_CALLBACK_METHODS.has(node.expression.name.text) &&
        node.arguments.length > 0 &&
        (ts.isArrowFunction(node.arguments[0]) || ts.isFunctionExpression(node.arguments[0])) &&
        node.arguments[0].modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)
      ) {
        report(source, node.arguments[0], `async callback given to ${node.expression.name.text}()`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
