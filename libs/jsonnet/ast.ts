/** The Jsonnet syntax tree: close to the source, with function and method sugar already expanded. */
export interface Loc {
  readonly line: number;
  readonly col: number;
}

export type Visibility = 'default' | 'hidden' | 'visible';

export interface Bind {
  readonly name: string;
  readonly body: Node;
}

export interface Param {
  readonly name: string;
  readonly def?: Node;
}

export interface FieldNode {
  /** A literal string for `id:` and `'s':` names; any expression for `[e]:`. */
  readonly name: Node;
  readonly vis: Visibility;
  readonly plus: boolean;
  readonly body: Node;
}

export interface AssertNode {
  readonly cond: Node;
  readonly msg?: Node;
  readonly loc: Loc;
}

export type CompSpec =
  { readonly k: 'for'; readonly name: string; readonly e: Node } | { readonly k: 'if'; readonly cond: Node };

export type BinaryOp =
  | '*'
  | '/'
  | '%'
  | '+'
  | '-'
  | '<<'
  | '>>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | '=='
  | '!='
  | '&'
  | '^'
  | '|'
  | '&&'
  | '||';

export type UnaryOp = '-' | '+' | '!' | '~';

export type Node = { readonly loc: Loc } & (
  | { readonly k: 'lit'; readonly v: null | boolean | number | string }
  | { readonly k: 'self' }
  | { readonly k: 'dollar' }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'local'; readonly binds: readonly Bind[]; readonly body: Node }
  | { readonly k: 'func'; readonly params: readonly Param[]; readonly body: Node }
  | {
      readonly k: 'apply';
      readonly fn: Node;
      readonly args: readonly Node[];
      readonly named: readonly Bind[];
    }
  | { readonly k: 'index'; readonly target: Node; readonly index: Node }
  | { readonly k: 'superIndex'; readonly index: Node }
  | { readonly k: 'inSuper'; readonly name: Node }
  | {
      readonly k: 'slice';
      readonly target: Node;
      readonly begin?: Node;
      readonly end?: Node;
      readonly step?: Node;
    }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly l: Node; readonly r: Node }
  | { readonly k: 'unary'; readonly op: UnaryOp; readonly e: Node }
  | { readonly k: 'if'; readonly cond: Node; readonly then: Node; readonly else?: Node }
  | { readonly k: 'error'; readonly e: Node }
  | { readonly k: 'assert'; readonly a: AssertNode; readonly rest: Node }
  | {
      readonly k: 'object';
      readonly locals: readonly Bind[];
      readonly asserts: readonly AssertNode[];
      readonly fields: readonly FieldNode[];
    }
  | {
      readonly k: 'objectComp';
      readonly locals: readonly Bind[];
      readonly field: FieldNode;
      readonly specs: readonly CompSpec[];
    }
  | { readonly k: 'array'; readonly elems: readonly Node[] }
  | { readonly k: 'arrayComp'; readonly body: Node; readonly specs: readonly CompSpec[] }
);

export type NodeOf<K extends Node['k']> = Extract<Node, { k: K }>;
