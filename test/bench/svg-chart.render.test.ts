import * as chai from 'chai';
import { escapeXml, formatFigure, renderChart } from './lib/svg-chart';

const { expect } = chai;

describe('bench SVG chart', () => {
  describe('when rendering panels', () => {
    const svg = renderChart({
      title: 'Verify <fast> & "fair"',
      subtitle: 'median of 5 runs',
      panels: [
        {
          title: 'ops/s',
          unit: 'per second',
          groups: [
            {
              label: '1 client',
              bars: [
                { label: 'ours', value: 200, highlight: true },
                { label: 'peer', value: 100 },
              ],
            },
          ],
        },
      ],
    });

    it('is one standalone SVG document with escaped text', () => {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.be.true;
      expect(svg.trimEnd().endsWith('</svg>')).to.be.true;
      expect(svg).to.include('Verify &lt;fast&gt; &amp; &quot;fair&quot;');
      expect(svg).not.to.include('<fast>');
    });

    it('draws bar widths proportional to the values', () => {
      const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(widths).to.have.length(2);
      expect(widths[0] / widths[1]).to.be.closeTo(2, 0.01);
    });
  });

  describe('when formatting figures', () => {
    it('groups thousands and keeps three significant digits for small values', () => {
      expect(formatFigure(12345.6)).to.equal('12,346');
      expect(formatFigure(1.2345)).to.equal('1.23');
      expect(escapeXml("it's")).to.equal('it&apos;s');
    });
  });
});
