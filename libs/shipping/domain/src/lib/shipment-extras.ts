/**
 * Which of a shipment's extra services (Shippo's `extra` options) its provider can honour. The
 * provider declares what its adapter maps (capabilities.shipmentExtras, this same shape); an
 * option it does not declare, a value outside the ones it lists, or a sub-field it does not
 * take is refused, naming it: never sent to the provider to be dropped or guessed at.
 */
export type ExtraSupport = true | { readonly values?: readonly string[]; readonly fields?: readonly string[] };

/** One option the provider cannot honour: its path under `extra` (`insurance`, `insurance.content`) and why. */
export interface ExtraRefusal {
  path: string;
  text: string;
}

/** The options of `extra` that `supported` (a provider's declaration) cannot honour, in the order sent. */
export function unhonouredExtras(
  extra: Readonly<Record<string, unknown>> | undefined,
  supported: Readonly<Record<string, ExtraSupport | undefined>>,
  provider: string,
): ExtraRefusal[] {
  const out: ExtraRefusal[] = [];
  for (const [option, value] of Object.entries(extra ?? {})) {
    if (value === undefined) continue;
    const support = Object.prototype.hasOwnProperty.call(supported, option) ? supported[option] : undefined;
    if (!support) {
      out.push({ path: option, text: `the ${provider} provider has no '${option}' option for this shipment` });
      continue;
    }
    if (support === true) continue;
    if (support.values && !support.values.includes(String(value))) {
      out.push({ path: option, text: `the ${provider} provider takes ${option} ${support.values.join(' or ')}, not '${String(value)}'` });
    }
    if (support.fields && value !== null && typeof value === 'object') {
      for (const field of Object.keys(value)) {
        if (!support.fields.includes(field)) {
          out.push({ path: `${option}.${field}`, text: `the ${provider} provider cannot honour ${option}.${field} (it takes ${support.fields.join(', ')})` });
        }
      }
    }
  }
  return out;
}
