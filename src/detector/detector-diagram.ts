import { DetectorModelDefinition } from './detector-model-definition';
import { renderMermaidStateDiagram } from './private/mermaid-diagram';

/**
 * Options of a state diagram.
 */
export interface DetectorDiagramOptions {
  /**
   * Whether transitions are labelled with their condition as well as their event name.
   *
   * @default true
   */
  readonly showConditions?: boolean;

  /**
   * Whether each state lists the names of its onEnter, onInput and onExit events.
   *
   * @default true
   */
  readonly showEvents?: boolean;
}

/**
 * Pictures of detector models.
 */
export class DetectorDiagram {
  /**
   * Renders a detector model as a Mermaid `stateDiagram-v2` (GitHub renders it in a ```` ```mermaid ````
   * block): the initial state, every state with its events, and every transition labelled with its event
   * name and condition.
   */
  public static renderMermaid(model: DetectorModelDefinition, options: DetectorDiagramOptions = {}): string {
    return renderMermaidStateDiagram(model._renderApi(), {
      showConditions: options.showConditions ?? true,
      showEvents: options.showEvents ?? true,
    });
  }

  private constructor() {}
}
