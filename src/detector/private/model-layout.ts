/** How an imported state spelled its lists, so that rendering gives the same JSON back. */
export interface StateLayout {
  readonly onEnter: boolean;
  readonly onEnterEvents: boolean;
  readonly onInput: boolean;
  readonly onInputEvents: boolean;
  readonly onInputTransitions: boolean;
  readonly onExit: boolean;
  readonly onExitEvents: boolean;
}

