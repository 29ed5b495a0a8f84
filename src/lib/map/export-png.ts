/**
 * The map as a PNG for briefings: a title band, the map as drawn (base map and data canvases),
 * the legend, the data's date, a scale bar and a north arrow. The title, date and legend are
 * also written into the file as text chunks.
 */
import { addPngText } from '../domain/png-text';
import { niceStep } from '../domain/classify';
import type { LegendEntry } from './legend';

export interface PngExport {
	container: HTMLElement;
	title: string;
	subtitle: string;
	legendTitle: string;
	legend: LegendEntry[];
	/** Extra legend lines (layers shown), drawn under the classes. */
	notes: { color: [number, number, number] | null; label: string }[];
	center: { lat: number };
	zoom: number;
	bearing: number;
	lang: 'zh-CN' | 'en';
}

const HEADER = 64;
const FONT =
	'"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

/** Metres per CSS pixel at a latitude and zoom (512-pixel tiles). */
export function metresPerPixel(lat: number, zoom: number): number {
	return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

export async function composeMapPng(options: PngExport): Promise<Uint8Array> {
	const { container } = options;
	const width = container.clientWidth;
	const mapHeight = container.clientHeight;
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = mapHeight + HEADER;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new Error('no 2D canvas');
	ctx.fillStyle = '#ffffff';
	ctx.fillRect(0, 0, width, canvas.height);

	// Title band.
	ctx.fillStyle = '#1f2a3a';
	ctx.fillRect(0, 0, width, HEADER);
	ctx.fillStyle = '#ffffff';
	ctx.font = `bold 20px ${FONT}`;
	ctx.textBaseline = 'top';
	ctx.fillText(options.title, 16, 10);
	ctx.font = `14px ${FONT}`;
	ctx.fillStyle = '#d7dee8';
	ctx.fillText(options.subtitle, 16, 38);

	// The map: every canvas in the container (base map, then the data overlay), in page order.
	ctx.fillStyle = '#e9edf1';
	ctx.fillRect(0, HEADER, width, mapHeight);
	const box = container.getBoundingClientRect();
	for (const layer of container.querySelectorAll('canvas')) {
		const r = layer.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) continue;
		ctx.drawImage(layer, r.left - box.left, HEADER + r.top - box.top, r.width, r.height);
	}

	// Legend, bottom left.
	const rows = [
		...options.legend.map((e) => ({ color: e.color, label: `${e.label}  ${e.count}` })),
		...options.notes
	];
	const lineHeight = 20;
	ctx.font = `13px ${FONT}`;
	const legendWidth =
		Math.max(
			ctx.measureText(options.legendTitle).width + 8,
			...rows.map((r) => ctx.measureText(r.label).width + 30)
		) + 20;
	const legendHeight = 32 + rows.length * lineHeight + 6;
	const lx = 12;
	const ly = HEADER + mapHeight - legendHeight - 12;
	ctx.fillStyle = 'rgba(255,255,255,0.94)';
	ctx.fillRect(lx, ly, legendWidth, legendHeight);
	ctx.strokeStyle = '#9aa5b4';
	ctx.lineWidth = 1;
	ctx.strokeRect(lx + 0.5, ly + 0.5, legendWidth - 1, legendHeight - 1);
	ctx.fillStyle = '#1b2230';
	ctx.font = `bold 14px ${FONT}`;
	ctx.fillText(options.legendTitle, lx + 10, ly + 8);
	ctx.font = `13px ${FONT}`;
	rows.forEach((row, i) => {
		const y = ly + 32 + i * lineHeight;
		if (row.color) {
			ctx.fillStyle = `rgb(${row.color.join(',')})`;
			ctx.fillRect(lx + 10, y + 1, 16, 14);
			ctx.strokeStyle = '#555';
			ctx.strokeRect(lx + 10.5, y + 1.5, 15, 13);
		}
		ctx.fillStyle = '#1b2230';
		ctx.fillText(row.label, lx + 34, y + 1);
	});

	// Scale bar, bottom right: the longest nice distance under 140 px.
	const mpp = metresPerPixel(options.center.lat, options.zoom);
	let metres = niceStep(mpp * 140);
	if (metres / mpp > 140) metres /= metres / mpp > 280 ? 5 : 2;
	const barPx = metres / mpp;
	const sx = width - 20 - barPx;
	const sy = HEADER + mapHeight - 24;
	ctx.fillStyle = 'rgba(255,255,255,0.9)';
	ctx.fillRect(sx - 8, sy - 22, barPx + 16, 34);
	ctx.fillStyle = '#1b2230';
	ctx.fillRect(sx, sy, barPx, 4);
	ctx.fillRect(sx, sy - 6, 2, 10);
	ctx.fillRect(sx + barPx - 2, sy - 6, 2, 10);
	ctx.font = `12px ${FONT}`;
	ctx.textAlign = 'center';
	ctx.fillText(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, sx + barPx / 2, sy - 19);

	// North arrow, top right, turned with the map.
	const nx = width - 36;
	const ny = HEADER + 120;
	ctx.save();
	ctx.translate(nx, ny);
	ctx.fillStyle = 'rgba(255,255,255,0.9)';
	ctx.beginPath();
	ctx.arc(0, 0, 22, 0, Math.PI * 2);
	ctx.fill();
	ctx.rotate((-options.bearing * Math.PI) / 180);
	ctx.fillStyle = '#1b2230';
	ctx.beginPath();
	ctx.moveTo(0, -6);
	ctx.lineTo(7, 15);
	ctx.lineTo(0, 10);
	ctx.lineTo(-7, 15);
	ctx.closePath();
	ctx.fill();
	ctx.font = `bold 11px ${FONT}`;
	ctx.fillText('N', 0, -19);
	ctx.restore();
	ctx.textAlign = 'start';

	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
	if (!blob) throw new Error('the browser could not encode the PNG');
	const legendText = [options.legendTitle, ...rows.map((r) => r.label)].join('\n');
	return addPngText(new Uint8Array(await blob.arrayBuffer()), {
		Title: options.title,
		Description: `${options.subtitle}\n${legendText}`,
		Software: 'Gridwatch'
	});
}
