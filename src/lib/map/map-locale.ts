/**
 * MapLibre's own control words (button titles, the scale bar's units) in Chinese; English is
 * MapLibre's default. Passed as the map's `locale` so a Chinese page names its controls in Chinese.
 */
const ZH: Record<string, string> = {
	'AttributionControl.ToggleAttribution': '显示或隐藏数据来源',
	'AttributionControl.MapFeedback': '地图反馈',
	'FullscreenControl.Enter': '全屏',
	'FullscreenControl.Exit': '退出全屏',
	'GeolocateControl.FindMyLocation': '定位我的位置',
	'GeolocateControl.LocationNotAvailable': '无法获取位置',
	'LogoControl.Title': 'MapLibre 标志',
	'NavigationControl.ResetBearing': '拖动旋转地图，点击恢复正北',
	'NavigationControl.ZoomIn': '放大',
	'NavigationControl.ZoomOut': '缩小',
	'ScaleControl.Feet': '英尺',
	'ScaleControl.Meters': '米',
	'ScaleControl.Kilometers': '公里',
	'ScaleControl.Miles': '英里',
	'ScaleControl.NauticalMiles': '海里',
	'GlobeControl.Enable': '显示地球',
	'GlobeControl.Disable': '关闭地球',
	'TerrainControl.Enable': '显示地形',
	'TerrainControl.Disable': '关闭地形'
};

export function mapLocale(lang: 'zh-CN' | 'en'): Record<string, string> | undefined {
	return lang === 'en' ? undefined : ZH;
}
