// Stand-in for @mastra/core's Agent in the README examples (Mastra is not a dependency): it keeps its instructions
// and answers with them, so a test can see which prompt variant the agent was given.
export class Agent {
  constructor(readonly config: { name: string; instructions: string; model: unknown }) {}

  async generate(_messages: unknown[]): Promise<{ text: string }> {
    return { text: `${this.config.name}: ${this.config.instructions}` };
  }
}
