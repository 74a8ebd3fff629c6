-- Provider risk monitor (brief §6; seed 003 §7.6 and §11.4.4): annual-account figures per provider and year,
-- entered in the web app or imported from CSV, and the thresholds that turn ratios into flags. The ratios
-- themselves are computed in src/monitoring/risk.ts, never stored.

CREATE TABLE provider_annual_account (          -- jaarrekeningcijfers van een zorgaanbieder
  provider_id   integer NOT NULL REFERENCES provider(id),
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),  -- boekjaar
  revenue_cents bigint NOT NULL CHECK (revenue_cents > 0),            -- omzet (bedrijfsopbrengsten)
  youth_act_revenue_cents bigint CHECK (youth_act_revenue_cents >= 0 AND youth_act_revenue_cents <= revenue_cents), -- waarvan Jeugdwet
  result_cents  bigint NOT NULL,                                      -- resultaat; negatief is verlies
  equity_cents  bigint NOT NULL,                                      -- eigen vermogen; negatief kan
  total_assets_cents bigint NOT NULL CHECK (total_assets_cents > 0),  -- balanstotaal
  current_assets_cents bigint NOT NULL CHECK (current_assets_cents >= 0),           -- vlottende activa incl. liquide middelen
  current_liabilities_cents bigint NOT NULL CHECK (current_liabilities_cents >= 0), -- kortlopende schulden
  staff_costs_cents bigint NOT NULL CHECK (staff_costs_cents >= 0),   -- personeelskosten
  fte           numeric(9,2) NOT NULL CHECK (fte >= 0),
  source        text NOT NULL,                                        -- bron, bv. 'jaarrekening 2023 (KvK)'; 'demo' for generated figures
  entered_by    text NOT NULL,                                        -- account that entered or imported the figures
  entered_on    date NOT NULL,
  CHECK (current_assets_cents <= total_assets_cents),
  PRIMARY KEY (provider_id, year)
);

-- Thresholds are data: a row with region_id NULL is the default, a region's own row overrides it.
-- value is in the ratio's unit: a fraction for solvency, return, dependency and stressed return, a plain
-- number for the current ratio, cents for staff cost per fte.
CREATE TABLE provider_risk_threshold (
  region_id  text REFERENCES region(id),
  ratio      text NOT NULL CHECK (ratio IN ('solvency', 'current_ratio', 'return', 'staff_cost_per_fte', 'dependency', 'stressed_return')),
  direction  text NOT NULL CHECK (direction IN ('below', 'above')),
  value      numeric NOT NULL,
  risk       text NOT NULL CHECK (risk IN ('continuiteit', 'rechtmatigheid', 'afhankelijkheid')),
  label      text NOT NULL,                     -- the flag's text on screen (Dutch)
  source     text NOT NULL                      -- where the number comes from
);
CREATE UNIQUE INDEX provider_risk_threshold_key ON provider_risk_threshold (COALESCE(region_id, ''), ratio, direction);

-- Seed 003 §7.6.1 names the indicators and their direction (continuity: low return, liquidity or solvency;
-- rechtmatigheid: high return or low staff cost per fte) but gives no numbers; seed 004 Bijlage 2 gives
-- usage and spending figures only. The numbers below are therefore the region's choice, editable.
INSERT INTO provider_risk_threshold (region_id, ratio, direction, value, risk, label, source) VALUES
  (NULL, 'solvency', 'below', 0.20, 'continuiteit', 'lage solvabiliteit',
   'Keuze van de regio (gangbare ondergrens in de zorg), aanpasbaar; indicator uit seed 003 §7.6.1'),
  (NULL, 'current_ratio', 'below', 1.0, 'continuiteit', 'lage liquiditeit',
   'Keuze van de regio (kortlopende schulden niet gedekt door vlottende activa), aanpasbaar; indicator uit seed 003 §7.6.1'),
  (NULL, 'return', 'below', 0, 'continuiteit', 'negatief rendement',
   'Keuze van de regio (verlies), aanpasbaar; indicator uit seed 003 §7.6.1'),
  (NULL, 'return', 'above', 0.10, 'rechtmatigheid', 'hoog rendement',
   'Keuze van de regio, aanpasbaar; indicator uit seed 003 §7.6.1'),
  (NULL, 'staff_cost_per_fte', 'below', 5000000, 'rechtmatigheid', 'lage personeelskosten per fte',
   'Keuze van de regio (€ 50.000 per fte), aanpasbaar; indicator uit seed 003 §7.6.1'),
  (NULL, 'dependency', 'above', 0.50, 'afhankelijkheid', 'sterk afhankelijk van de regio',
   'Keuze van de regio (meer dan de helft van de omzet), aanpasbaar; onderwerp afhankelijkheid uit seed 003 §7.6'),
  (NULL, 'stressed_return', 'below', 0, 'continuiteit', 'verlies bij omzetdaling (stresstest)',
   'Keuze van de regio, aanpasbaar; impactanalyse omzetdaling uit seed 003 §7.6');
