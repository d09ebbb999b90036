// The embedded demo datasheet's first rows: a dozen plausible local stories, in the same
// shape an AITable record has (field names as the newsroom's datasheet would use them).
export const DEMO_RECORDS = [
  [
    'Water main burst floods Harbour Street shops',
    'A 100-year-old main gave way before dawn; six shops are closed and traffic is diverted around the market square.',
    'Local',
    true,
  ],
  [
    'Council approves new cycle lanes on Riverside Road',
    'The 2.4 km protected route links the station with the university campus and will be built over the summer.',
    'Politics',
    false,
  ],
  [
    'Library extends opening hours after record winter',
    'Visits rose 30 percent; the central library will now open until 9 pm on weekdays.',
    'Culture',
    false,
  ],
  [
    'Storm warning: gusts up to 110 km/h expected tonight',
    'The weather service issued an amber warning for the coast; ferries are cancelled from 6 pm.',
    'Weather',
    true,
  ],
  [
    'Family bakery on Mill Lane celebrates 100 years',
    'Four generations have run the shop; the anniversary weekend brings free tastings and an old-recipe loaf.',
    'Business',
    false,
  ],
  [
    'City FC clinch promotion with late winner',
    'A 90th-minute header sent 14,000 fans into the streets around the stadium.',
    'Sport',
    false,
  ],
  [
    'New primary school opens in the eastern district',
    'The school takes 420 pupils and is the first in the region built to passive-house standard.',
    'Education',
    false,
  ],
  [
    'Hospital trials evening walk-in clinic',
    'The pilot aims to ease pressure on the emergency department during the busiest hours.',
    'Health',
    false,
  ],
  [
    'Old tram depot to become a food market',
    'Developers plan 40 stalls and a rooftop garden in the listed 1902 building.',
    'Business',
    false,
  ],
  [
    'Volunteers clear two tonnes of litter from the dunes',
    'More than 300 people joined the spring clean along the northern beaches.',
    'Local',
    false,
  ],
  [
    'Jazz festival announces free opening concert',
    'The main stage in Castle Park opens with a free evening concert on Friday.',
    'Culture',
    false,
  ],
  [
    'Police appeal after break-ins at allotments',
    'Sheds on three sites were forced open over the weekend; tools and bikes were taken.',
    'Crime',
    false,
  ],
] as const;

export function demoDatasheet(): { records: { recordId: string; fields: Record<string, unknown> }[] } {
  return {
    records: DEMO_RECORDS.map(([headline, summary, section, breaking], index) => ({
      recordId: `recDemo${String(index + 1).padStart(3, '0')}`,
      fields: { Headline: headline, Summary: summary, Section: section, ...(breaking ? { Breaking: true } : {}) },
    })),
  };
}
