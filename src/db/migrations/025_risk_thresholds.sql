-- Provider risk monitor (issue 18 §2): the default thresholds flagged 178 of Twente's 354 providers in 2021,
-- which makes the signal noise. A contract manager must talk to a provider whose continuity is in danger, whose
-- return on public money is out of line, or which would fall over if the region cut its money; these defaults
-- flag that, not every provider with a thin year. Still the region's choice, editable per region (a region's own
-- row is left alone). Reasons per threshold in docs/monitoring.md.
UPDATE provider_risk_threshold SET value = 0.10, label = 'zeer lage solvabiliteit',
  source = 'Keuze van de regio: minder dan 10% eigen vermogen laat geen buffer voor één slecht jaar; aanpasbaar; indicator uit seed 003 §7.6.1'
  WHERE region_id IS NULL AND ratio = 'solvency' AND direction = 'below';
UPDATE provider_risk_threshold SET value = 0.75,
  source = 'Keuze van de regio: vlottende activa dekken minder dan driekwart van de kortlopende schulden; aanpasbaar; indicator uit seed 003 §7.6.1'
  WHERE region_id IS NULL AND ratio = 'current_ratio' AND direction = 'below';
UPDATE provider_risk_threshold SET value = -0.05, label = 'fors verlies',
  source = 'Keuze van de regio: een verlies van meer dan 5% van de omzet (een klein verlies in één jaar is geen signaal); aanpasbaar; indicator uit seed 003 §7.6.1'
  WHERE region_id IS NULL AND ratio = 'return' AND direction = 'below';
UPDATE provider_risk_threshold SET value = 0.15, label = 'zeer hoog rendement',
  source = 'Keuze van de regio: meer dan 15% winst op de omzet uit publiek geld vraagt om uitleg; aanpasbaar; indicator uit seed 003 §7.6.1'
  WHERE region_id IS NULL AND ratio = 'return' AND direction = 'above';
UPDATE provider_risk_threshold SET value = 4000000, label = 'zeer lage personeelskosten per fte',
  source = 'Keuze van de regio: onder € 40.000 per fte is niet te rijmen met loonkosten volgens de cao; aanpasbaar; indicator uit seed 003 §7.6.1'
  WHERE region_id IS NULL AND ratio = 'staff_cost_per_fte' AND direction = 'below';
UPDATE provider_risk_threshold SET value = 0.80, label = 'vrijwel geheel afhankelijk van de regio',
  source = 'Keuze van de regio: meer dan 80% van de omzet komt van de regio, dus elke keuze van de regio raakt het voortbestaan; aanpasbaar; onderwerp afhankelijkheid uit seed 003 §7.6'
  WHERE region_id IS NULL AND ratio = 'dependency' AND direction = 'above';
UPDATE provider_risk_threshold SET value = -0.10, label = 'fors verlies bij omzetdaling (stresstest)',
  source = 'Keuze van de regio: na de omzetdaling een verlies van meer dan 10% van de omzet; aanpasbaar; impactanalyse omzetdaling uit seed 003 §7.6'
  WHERE region_id IS NULL AND ratio = 'stressed_return' AND direction = 'below';
