// Distance from a youth's home municipality to a group's location. The product ships no municipal
// geometry, so this uses a documented approximation (docs/placement.md):
// - the 30 municipalities of the three demo regions have an approximate centre (the main town's centre,
//   WGS84, good to a few km): distance = great-circle distance between the centres;
// - any other pair: same municipality 0 km, same jeugdzorgregio 25 km, same province 60 km, else 120 km,
//   and the answer says it is approximate.
// Replace CENTRES with CBS centroids when they become part of the reference data; nothing else changes.

const CENTRES: Record<string, [number, number]> = {
  // Twente
  '0141': [52.357, 6.662], // Almelo
  '0147': [52.3, 6.753], // Borne
  '1774': [52.375, 6.96], // Dinkelland
  '0153': [52.221, 6.894], // Enschede
  '0158': [52.156, 6.739], // Haaksbergen
  '0163': [52.37, 6.47], // Hellendoorn (Nijverdal)
  '0164': [52.266, 6.793], // Hengelo
  '1735': [52.233, 6.585], // Hof van Twente (Goor)
  '0168': [52.261, 7.004], // Losser
  '0173': [52.313, 6.929], // Oldenzaal
  '1742': [52.307, 6.517], // Rijssen-Holten
  '0183': [52.407, 6.784], // Tubbergen
  '1700': [52.408, 6.623], // Twenterand (Vriezenveen)
  '0189': [52.359, 6.593], // Wierden
  // Achterhoek
  '0197': [51.925, 6.58], // Aalten
  '1859': [52.1, 6.56], // Berkelland
  '1876': [52.05, 6.3], // Bronckhorst
  '0222': [51.965, 6.289], // Doetinchem
  '1955': [51.91, 6.2], // Montferland
  '1586': [52.0, 6.6], // Oost Gelre
  '1509': [51.89, 6.4], // Oude IJsselstreek
  '0294': [51.972, 6.72], // Winterswijk
  // Midden-IJssel/Oost-Veluwe
  '0200': [52.211, 5.969], // Apeldoorn
  '0213': [52.09, 6.155], // Brummen
  '0232': [52.348, 5.984], // Epe
  '0244': [52.475, 6.063], // Hattem
  '0246': [52.387, 6.04], // Heerde
  '0262': [52.16, 6.415], // Lochem
  '0285': [52.236, 6.103], // Voorst
  '0301': [52.138, 6.201], // Zutphen
};

export interface Place {
  code: string;
  region: string | null;
  province: string;
}

export function distanceKm(a: Place, b: Place): { km: number; approximate: boolean } {
  if (a.code === b.code) return { km: 0, approximate: false };
  const ca = CENTRES[a.code],
    cb = CENTRES[b.code];
  if (ca && cb) return { km: haversine(ca, cb), approximate: false };
  if (a.region && a.region === b.region) return { km: 25, approximate: true };
  if (a.province === b.province) return { km: 60, approximate: true };
  return { km: 120, approximate: true };
}

function haversine([lat1, lon1]: [number, number], [lat2, lon2]: [number, number]): number {
  const rad = Math.PI / 180,
    R = 6371;
  const dLat = (lat2 - lat1) * rad,
    dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
