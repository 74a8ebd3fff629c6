// libxml2's XSD validity messages in plain Dutch that name the element and the limit (issue 18: "[facet
// 'maxLength'] …" reached the screen in English, and a code list or pattern lost its braces: "{'01', '04'}" became
// "." and "[0-9]{9}" became "[0-9]"). Only the namespace in braces ("{http://…}Eenheid") is removed; a code list and
// a pattern keep theirs. A message libxml2 words otherwise still gets a Dutch sentence, never English.

const NAMESPACE = /\{(?:https?|urn):[^}]*\}/g;

/** XML Schema's own simple types in words (the iJW types keep their name, e.g. LDT_Datum, which the standard documents). */
const TYPE_WORDS: Record<string, string> = {
  LDT_Datum: 'een datum (JJJJ-MM-DD)',
  LDT_Tijd: 'een tijd (UU:MM:SS)',
  LDT_DatumTijd: 'een datum met tijd',
  'xs:date': 'een datum (JJJJ-MM-DD)',
  'xs:time': 'een tijd (UU:MM:SS)',
  'xs:dateTime': 'een datum met tijd',
  'xs:integer': 'een geheel getal',
  'xs:decimal': 'een getal',
  'xs:boolean': 'ja of nee (true/false)',
  'xs:string': 'tekst',
};

/** A regular-expression pattern of the XSD in words where it is a common one; else the pattern itself. */
export function patternInWords(p: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^\[0-9\]\{(\d+)\}$/.exec(p)) || (m = /^\\d\{(\d+)\}$/.exec(p))) return `precies ${m[1]} cijfers`;
  if ((m = /^\[0-9\]\{(\d+),(\d+)\}$/.exec(p)) || (m = /^\\d\{(\d+),(\d+)\}$/.exec(p))) return `${m[1]} tot ${m[2]} cijfers`;
  if ((m = /^\[0-9\]\{1,(\d+)\}$/.exec(p))) return `hoogstens ${m[1]} cijfers`;
  return `het patroon ${p}`;
}

const list = (set: string) =>
  set
    .split(',')
    .map((s) => s.trim().replace(/^'|'$/g, ''))
    .filter(Boolean);
const codes = (set: string) => {
  const all = list(set);
  return all.length > 12 ? `${all.slice(0, 12).join(', ')} … (${all.length} codes)` : all.join(', ');
};
const names = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim().replace(NAMESPACE, ''))
    .filter(Boolean)
    .join(', ');

/** One libxml2 validity message in Dutch: "Element: wat er mis is, met de grens". */
export function xsdMessageNl(raw: string): string {
  const msg = raw.trim().replace(NAMESPACE, '');
  const el = /^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$/s.exec(msg);
  const who = el ? `${el[1]}${el[2] ? ` (attribuut ${el[2]})` : ''}` : '';
  const body = (el ? el[3] : msg).trim();
  const say = (s: string) => (who ? `${who}: ${s}` : s);
  let m: RegExpExecArray | null;
  if ((m = /^'(.*)' is not a valid value of the local (?:atomic|list|union) type\.$/s.exec(body)))
    return say(`'${m[1]}' is geen geldige waarde voor dit element`);
  if ((m = /^'(.*)' is not a valid value of the (?:atomic|local atomic|list|union|local union) type '([^']+)'\.$/s.exec(body))) {
    return say(`'${m[1]}' is geen geldige waarde voor ${m[2]}${TYPE_WORDS[m[2]] && !m[2].startsWith('LDT_') ? `: verwacht ${TYPE_WORDS[m[2]]}` : ''}`);
  }
  if ((m = /^\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\.$/s.exec(body)))
    return say(`'${m[1]}' komt niet voor in de codelijst; toegestaan: ${codes(m[2])}`);
  if ((m = /^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.$/s.exec(body)))
    return say(`'${m[1]}' heeft niet de vereiste vorm: ${patternInWords(m[2])}`);
  if ((m = /^\[facet 'maxLength'\] The value(?: '(.*)')? has a length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'\.$/s.exec(body)))
    return say(`de waarde is ${m[2]} tekens lang; maximaal ${m[3]} tekens toegestaan`);
  if ((m = /^\[facet 'minLength'\] The value(?: '(.*)')? has a length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'\.$/s.exec(body)))
    return say(`de waarde is ${m[2]} tekens lang; minimaal ${m[3]} tekens vereist`);
  if ((m = /^\[facet 'length'\] The value(?: '(.*)')? has a length of '(\d+)'; this differs from the allowed length of '(\d+)'\.$/s.exec(body)))
    return say(`de waarde is ${m[2]} tekens lang; precies ${m[3]} tekens vereist`);
  if ((m = /^\[facet 'maxInclusive'\] The value '(.*)' is greater than the maximum value allowed \('(.*)'\)\.$/s.exec(body)))
    return say(`${m[1]} is groter dan het maximum ${m[2]}`);
  if ((m = /^\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value allowed \('(.*)'\)\.$/s.exec(body)))
    return say(`${m[1]} is kleiner dan het minimum ${m[2]}`);
  if ((m = /^\[facet 'maxExclusive'\] The value '(.*)' must be less than '(.*)'\.$/s.exec(body))) return say(`${m[1]} moet kleiner zijn dan ${m[2]}`);
  if ((m = /^\[facet 'minExclusive'\] The value '(.*)' must be greater than '(.*)'\.$/s.exec(body))) return say(`${m[1]} moet groter zijn dan ${m[2]}`);
  if ((m = /^\[facet 'totalDigits'\] The value '(.*)' has more digits than are allowed \('(\d+)'\)\.$/s.exec(body)))
    return say(`${m[1]} heeft te veel cijfers; maximaal ${m[2]} cijfers`);
  if ((m = /^\[facet 'fractionDigits'\] The value '(.*)' has more fractional digits than are allowed \('(\d+)'\)\.$/s.exec(body)))
    return say(`${m[1]} heeft te veel decimalen; maximaal ${m[2]} cijfers achter de komma`);
  if ((m = /^\[facet '(\w+)'\] The value '(.*)'/s.exec(body))) return say(`'${m[2]}' voldoet niet aan de grens (${m[1]}) van het XML-schema`);
  if ((m = /^This element is not expected\. Expected is(?: one of)? \( (.*) \)\.$/s.exec(body)))
    return say(`dit element wordt hier niet verwacht; verwacht: ${names(m[1])}`);
  if (/^This element is not expected\.$/.test(body)) return say('dit element wordt hier niet verwacht');
  if ((m = /^Missing child element\(s\)\. Expected is(?: one of)? \( (.*) \)\.$/s.exec(body))) return say(`verplicht element ontbreekt: ${names(m[1])}`);
  if (/^Character content other than whitespace is not allowed/.test(body)) return say('tekst is hier niet toegestaan');
  if ((m = /^The attribute '(.*)' is not allowed\.$/.exec(body))) return say(`het attribuut ${m[1]} is hier niet toegestaan`);
  if ((m = /^The attribute '(.*)' is required but missing\.$/.exec(body))) return say(`het verplichte attribuut ${m[1]} ontbreekt`);
  if (/^No matching global declaration available for the validation root\.$/.test(body)) return say('onbekend root-element voor dit berichttype');
  if (/^Element content is not allowed, because the (?:content type is a simple type definition|type definition is simple)\.$/.test(body))
    return say('hier mogen geen elementen in staan, alleen een waarde');
  if (/^The value '.*' is not valid|is not a valid value/.test(body)) return say('de waarde voldoet niet aan het XML-schema');
  return say('voldoet niet aan het XML-schema van iJW 3.2');
}
