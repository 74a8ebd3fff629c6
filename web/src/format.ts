// Dutch number formats. Amounts arrive in integer cents; they are only turned into euros for display.
const euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 0 });
const euroCents = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const count = new Intl.NumberFormat('nl-NL');
const millions = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatEuro = (cents: number) => euro.format(Math.round(cents / 100));
export const formatEuroCents = (cents: number) => euroCents.format(cents / 100);
export const formatCount = (n: number) => count.format(n);
export const formatMillions = (cents: number) => `€ ${millions.format(cents / 100 / 1_000_000)} mln`;
export const formatDate = (iso: string) => new Date(`${iso}T00:00:00`).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' });
