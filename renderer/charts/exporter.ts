// What a chart panel's export buttons need from the chart inside it.

export interface Exporter {
  png(): Promise<Blob>;
  svg(): string;
  csv(): string;
}
