// The engine's config errors name their field on each line
// ("training.lr: must be greater than 0"); the form shows each message
// beside its input. Lines that name no field go to the top of the form.

export interface FieldErrors {
  fields: Record<string, string>;
  general: string[];
}

export function parseFieldErrors(message: string): FieldErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const line of message.split('\n')) {
    const m = /^([A-Za-z][\w]*(?:\.[\w]+)*): (.+)$/.exec(line.trim());
    if (m && m[1] !== 'config') fields[m[1]] ??= m[2];
    else if (line.trim()) general.push(m ? m[2] : line.trim());
  }
  return { fields, general };
}
