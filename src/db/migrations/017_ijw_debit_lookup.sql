-- TR389 (one debit per allocation, product and product period across declarations unless credited): the accepted
-- debit lines of a provider by allocation number, so the history look-up of a batch reads only those.
CREATE INDEX ijw_declaration_line_debit ON ijw_declaration_line (provider_id, assignment_number)
  WHERE debit_credit = 'D' AND status = 'geaccepteerd';
