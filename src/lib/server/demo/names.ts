/**
 * Communities of the demo. The article names eleven (伊萨卡, 美达, 大北, 海天, 高教, 东湾,
 * 大学城北, 云水, 闻潮, 邻里, 云滨); fourteen more come from the official 2023 list of
 * 白杨街道 (NBS 统计用区划代码 330114002001–025), leaving out 云邸. Codes are the NBS codes;
 * 大学城北 is the 2020 name, absent from the 2023 list, so it gets a code outside that range.
 * `anchor` is a rough position (lng, lat) used to lay out the synthetic polygons.
 */
export interface CommunitySpec {
	code: string;
	name: string;
	nameEn: string;
	anchor: [number, number];
}

export const DEMO_COMMUNITIES: CommunitySpec[] = [
	{ code: '330114002001', name: '景园社区', nameEn: 'Jingyuan', anchor: [120.306, 30.318] },
	{ code: '330114002002', name: '大北社区', nameEn: 'Dabei', anchor: [120.322, 30.322] },
	{ code: '330114002003', name: '月雅苑社区', nameEn: 'Yueyayuan', anchor: [120.306, 30.302] },
	{ code: '330114002004', name: '高教社区', nameEn: 'Gaojiao', anchor: [120.345, 30.316] },
	{ code: '330114002005', name: '邻里社区', nameEn: 'Linli', anchor: [120.323, 30.306] },
	{ code: '330114002006', name: '闻潮社区', nameEn: 'Wenchao', anchor: [120.334, 30.28] },
	{ code: '330114002007', name: '云水社区', nameEn: 'Yunshui', anchor: [120.356, 30.296] },
	{ code: '330114002008', name: '海天社区', nameEn: 'Haitian', anchor: [120.34, 30.299] },
	{
		code: '330114002009',
		name: '多蓝水岸社区',
		nameEn: 'Duolan Shuian',
		anchor: [120.318, 30.291]
	},
	{ code: '330114002010', name: '朗琴社区', nameEn: 'Langqin', anchor: [120.372, 30.304] },
	{
		code: '330114002011',
		name: '伊萨卡社区',
		nameEn: 'Yisaka (Ithaca)',
		anchor: [120.383, 30.318]
	},
	{ code: '330114002012', name: '东湾社区', nameEn: 'Dongwan', anchor: [120.388, 30.297] },
	{ code: '330114002013', name: '观澜社区', nameEn: 'Guanlan', anchor: [120.352, 30.27] },
	{
		code: '330114002014',
		name: '江滨花园社区',
		nameEn: 'Jiangbin Garden',
		anchor: [120.366, 30.276]
	},
	{ code: '330114002015', name: '江潮社区', nameEn: 'Jiangchao', anchor: [120.378, 30.284] },
	{ code: '330114002016', name: '美达社区', nameEn: 'Meida', anchor: [120.33, 30.314] },
	{ code: '330114002017', name: '晨光社区', nameEn: 'Chenguang', anchor: [120.357, 30.31] },
	{ code: '330114002018', name: '东郡社区', nameEn: 'Dongjun', anchor: [120.396, 30.31] },
	{ code: '330114002019', name: '云滨社区', nameEn: 'Yunbin', anchor: [120.344, 30.287] },
	{ code: '330114002020', name: '云涛社区', nameEn: 'Yuntao', anchor: [120.364, 30.29] },
	{ code: '330114002021', name: '银海社区', nameEn: 'Yinhai', anchor: [120.307, 30.329] },
	{ code: '330114002022', name: '东保社区', nameEn: 'Dongbao', anchor: [120.335, 30.327] },
	{ code: '330114002023', name: '凌云社区', nameEn: 'Lingyun', anchor: [120.327, 30.295] },
	{ code: '330114002024', name: '汇澜社区', nameEn: 'Huilan', anchor: [120.372, 30.323] },
	{
		code: '330114002099',
		name: '大学城北社区',
		nameEn: 'Daxuecheng North',
		anchor: [120.355, 30.326]
	}
];

/** Compounds the article names, with their communities. */
export const NAMED_COMPOUNDS: { name: string; community: string }[] = [
	{ name: '清雅苑', community: '高教社区' },
	{ name: '保利东湾', community: '东湾社区' },
	{ name: '云滨湾', community: '云滨社区' }
];

export const COMPOUND_PREFIXES = [
	'金沙',
	'春晓',
	'和达',
	'翠苑',
	'学林',
	'文渊',
	'听潮',
	'江南',
	'银杏',
	'紫荆',
	'望江',
	'星河',
	'丽景',
	'香樟',
	'景澜',
	'明月',
	'东方',
	'锦绣',
	'怡和',
	'德胜'
];
export const COMPOUND_SUFFIXES = ['苑', '府', '花园', '家园', '公寓', '名邸', '雅居', '里'];

export const SURNAMES =
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN_CHARS =
	'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强晓红小红丹玲萍鹏辉斌浩宇欣怡子涵梓轩雨桐';

/** Where returnees came from: Hubei is the key area (重点地区) of Jan–Feb 2020. */
export const KEY_AREA_ORIGINS = [
	'湖北省武汉市',
	'湖北省孝感市',
	'湖北省黄冈市',
	'湖北省荆州市',
	'湖北省随州市'
];
export const OTHER_ORIGINS = [
	'安徽省',
	'江西省',
	'河南省',
	'四川省',
	'湖南省',
	'贵州省',
	'江苏省',
	'山东省',
	'浙江省温州市',
	'浙江省台州市',
	'广东省',
	'重庆市',
	'云南省',
	'福建省',
	'广西壮族自治区',
	'甘肃省'
];
